"""Finds the hands in one image; a box counts only at or above the confidence threshold.

With an under-trained model, a high threshold may detect nothing at all: lower it to see what
the model does see, and how unsure it still is. ultralytics' default threshold is 0.25.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from detector import MODEL_PATH, detect, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("image", type=Path)
    parser.add_argument("--conf", type=float, default=0.25, help="minimum confidence to count (default 0.25)")
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    if not 0 < args.conf <= 1:
        parser.error("--conf is a probability: between 0 (excluded) and 1")
    if not args.model.is_file():
        parser.error(f"no model at {args.model}: run `python train.py` first")

    found = detect(load(args.model), str(args.image), args.conf)
    for label, confidence, (x1, y1, x2, y2) in found:
        print(f"{label} {confidence:.2f} at ({x1}, {y1}, {x2}, {y2})")
    if not found:
        print(f"nothing detected at conf {args.conf}: lower the threshold, or train longer")


if __name__ == "__main__":
    main()
