"""The training job: the notebook's training as a script, configured by environment variables.

    NB_OF_EPOCHS   epochs; default 20, from scratch on a CPU (in the cloud, from the pretrained
                   weights: 5 in the notebook, 10 for a quick job, 50 for the full one)
    DATA_DIR       the data set, holding data.yaml; default data
    OUTPUT_DIR     where the training's results go: weights/best.pt, its export
                   weights/best.torchscript, results.csv and results.png; default model
    IMG_SIZE       the images' side in pixels, a multiple of 32 (640 in the cloud); default 128
    DEVICE         cpu, or the GPU's number (0 in the cloud job); default cpu
    MODEL          what training starts from; default yolov8n.yaml, YOLOv8n's definition in the
                   ultralytics package: untrained, nothing to download (the cloud job starts from
                   the pretrained yolov8n.pt, which ultralytics downloads there)
    EXPORT_PATH    where a second copy of the export goes, for the app; default none (in the
                   cloud, best.torchscript at the root of the attendee's container, the object the
                   app's image reads and the speaker's backup copy replaces)

Then best.pt, the best epoch's weights, is exported to TorchScript, best.torchscript beside it:
the file the app loads. offline.py keeps ultralytics from reaching the network on the way.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
from pathlib import Path

import offline  # noqa: F401 - before ultralytics: keeps it offline
from ultralytics import YOLO

# ultralytics names a run after its folder, and when that name is "model" it warns that it renamed
# it "yolov8n": a run name only, the results still go to OUTPUT_DIR. Not shown.
logging.getLogger("ultralytics").addFilter(lambda record: "'name=model' automatically updated" not in str(record.msg))


def main() -> None:
    epochs = int(os.environ.get("NB_OF_EPOCHS", "20"))
    data = Path(os.environ.get("DATA_DIR", "data"))
    output = Path(os.environ.get("OUTPUT_DIR", "model")).resolve()
    size = int(os.environ.get("IMG_SIZE", "128"))
    device = os.environ.get("DEVICE", "cpu")
    start = os.environ.get("MODEL", "yolov8n.yaml")
    copy = os.environ.get("EXPORT_PATH")

    model = YOLO(start)
    model.train(data=str(data / "data.yaml"), epochs=epochs, imgsz=size, batch=16, device=device, workers=0,
                amp=False, seed=0, deterministic=True, save_dir=str(output), verbose=False)  # amp: see offline.py
    best = output / "weights" / "best.pt"
    exported = YOLO(best).export(format="torchscript", imgsz=size, device=device, verbose=False)

    with open(output / "results.csv", newline="") as results:
        rows = [{key.strip(): value for key, value in row.items()} for row in csv.DictReader(results)]
    print(f"{'epoch':>5} {'box_loss':>9} {'cls_loss':>9} {'val_box':>8} {'mAP50':>6}")
    for row in rows:
        print(f"{int(float(row['epoch'])):>5} {float(row['train/box_loss']):>9.3f} {float(row['train/cls_loss']):>9.3f}"
              f" {float(row['val/box_loss']):>8.3f} {float(row['metrics/mAP50(B)']):>6.3f}")
    print(f"curves in {Path(os.path.relpath(output / 'results.png'))}, best weights {Path(os.path.relpath(best))}")
    print(f"exported to {Path(os.path.relpath(exported))}")
    if copy:
        Path(copy).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(exported, copy)
        print(f"copied to {copy}")


if __name__ == "__main__":
    main()
