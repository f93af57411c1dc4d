"""Keeps ultralytics on this machine: import this module before `ultralytics`.

Left to itself, ultralytics reaches for the Internet: a DNS look-up at import to know whether it
is online, then, when it is, a check for a newer release, usage analytics and a pip install of
any package it misses; and at every training, online or not, a request for the Arial font it
draws labels with. Here it runs with:

    YOLO_OFFLINE=1       no online check, so no update check, no analytics, no pip install
    YOLO_AUTOINSTALL=0   never runs pip by itself, whatever it thinks of the network
    YOLO_CONFIG_DIR      .ultralytics/ in this project, not your home: its settings.json and font

with settings that keep its folders in the project and its integrations off (it would log to
DVC, MLflow... if it found them installed), and a font already there: DejaVu Sans, which
matplotlib ships, copied under the names ultralytics looks for. The model is built from its
definition, `yolov8n.yaml` (in the package), so no weights are downloaded; training passes
`amp=False`, whose check downloads `yolo26n.pt` on a GPU (on the CPU AMP is off anyway).

One message is hidden: on the first run, ultralytics announces that it created its settings file
and how to change it with `yolo settings`; here this module writes the settings itself.
"""

from __future__ import annotations

import logging
import os
import shutil
import warnings
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
CONFIG_DIR = PROJECT / ".ultralytics"

os.environ["YOLO_OFFLINE"] = "1"
os.environ["YOLO_AUTOINSTALL"] = "0"
os.environ.setdefault("YOLO_CONFIG_DIR", str(CONFIG_DIR))

SETTINGS = {"datasets_dir": str(PROJECT), "weights_dir": str(CONFIG_DIR / "weights"), "runs_dir": str(PROJECT / "runs"),
            "sync": False, "hub": False, "clearml": False, "comet": False, "dvc": False, "mlflow": False,
            "neptune": False, "raytune": False, "tensorboard": False, "wandb": False, "vscode_msg": False,
            "openvino_msg": False}


def _font() -> None:
    """The font ultralytics would download (Arial.ttf), in its config folder: matplotlib's DejaVu Sans."""
    import matplotlib

    folder = Path(os.environ["YOLO_CONFIG_DIR"]) / "Ultralytics"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("Arial.ttf", "Arial.Unicode.ttf"):
        if not (folder / name).exists():
            shutil.copyfile(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf", folder / name)


_font()
# ultralytics' first-run notice ("Creating new Ultralytics Settings ... file"): the settings are
# written just below. A filter set on its logger before the import stays on it.
logging.getLogger("ultralytics").addFilter(lambda record: "Creating new Ultralytics Settings" not in str(record.msg))
# torch 2.14 deprecates TorchScript, the format this workshop exports to: an expected warning, not shown.
warnings.filterwarnings("ignore", category=FutureWarning, module=r"torch\.jit")

from ultralytics import settings  # noqa: E402 - after the environment above

settings.update({key: value for key, value in SETTINGS.items() if key in settings})
