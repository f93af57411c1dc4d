"""The exported model and its confidence threshold, shared by predict.py and the app."""

from __future__ import annotations

from pathlib import Path

import offline  # noqa: F401 - before ultralytics: keeps it offline
from ultralytics import YOLO

MODEL_PATH = Path("model/weights/best.torchscript")  # what train.py exports


def load(path: Path = MODEL_PATH) -> YOLO:
    """The TorchScript export: it knows its image size and class names, and needs no ultralytics weights."""
    return YOLO(str(path), task="detect")


# --8<-- [start:detect]
def detect(model: YOLO, image, conf: float) -> list[tuple[str, float, tuple[int, int, int, int]]]:
    """The hands the model is at least `conf` sure of, surest first: (label, confidence, box in pixels).

    Below the threshold a box does not count. ultralytics' own default is conf=0.25.
    """
    result = model.predict(image, conf=conf, device="cpu", verbose=False)[0]
    found = [(result.names[int(c)], float(p), tuple(int(v) for v in xyxy))
             for c, p, xyxy in zip(result.boxes.cls, result.boxes.conf, result.boxes.xyxy)]
    return sorted(found, key=lambda box: -box[1])
# --8<-- [end:detect]
