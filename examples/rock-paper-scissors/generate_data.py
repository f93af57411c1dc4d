"""Draws hands showing rock, paper or scissors, with their boxes, as a YOLO data set, offline.

    data/data.yaml                          the data set for ultralytics: folders and class names
    data/images/<split>/<label>_<nnn>.png   128x128 RGB, one hand each
    data/labels/<split>/<label>_<nnn>.txt   its box: "<class> <x centre> <y centre> <width> <height>",
                                            in fractions of the image (the YOLO format)

A fist, an open palm with five fingers, two fingers in a V: skin tones, positions, sizes, angles
and backgrounds vary, so the model must learn the shape, not the picture. Same seed, same images.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

LABELS = ["rock", "paper", "scissors"]
SIZE = 128
SPLITS = {"train": 40, "valid": 10, "test": 3}  # images per label
DATA_YAML = """\
# The rock/paper/scissors data set, in the layout ultralytics reads: each image's box in
# labels/, beside images/. Paths are relative to this file.
train: images/train
val: images/valid
test: images/test
names:
{names}
"""


def _finger(draw: ImageDraw.ImageDraw, base: tuple[float, float], angle: float, length: float, width: int,
            fill) -> None:
    tip = (base[0] + length * math.sin(angle), base[1] - length * math.cos(angle))
    draw.line((base, tip), fill=fill, width=width)
    draw.ellipse((tip[0] - width / 2, tip[1] - width / 2, tip[0] + width / 2, tip[1] + width / 2), fill=fill)


def _hand(draw: ImageDraw.ImageDraw, label: str, cx: float, cy: float, palm: float, tilt: float, fill) -> None:
    draw.ellipse((cx - palm, cy - palm, cx + palm, cy + palm), fill=fill)
    finger = max(3, round(palm / 2.6))
    if label == "paper":
        for k in range(5):
            _finger(draw, (cx, cy - palm / 2), tilt + (k - 2) * 0.38, palm * 2.0, finger, fill)
    elif label == "scissors":
        for k in (-1, 1):
            _finger(draw, (cx, cy - palm / 2), tilt + k * 0.3, palm * 2.2, finger + 1, fill)
    else:  # rock: knuckles on top of the fist
        knuckle = palm / 4
        for k in range(4):
            x = cx - palm * 0.75 + k * palm / 2
            draw.ellipse((x - knuckle, cy - palm - knuckle * 0.7, x + knuckle, cy - palm + knuckle * 1.3), fill=fill)


def hand(rng: np.random.Generator, label: str) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """One image and the box around the hand: (x centre, y centre, width, height), fractions of the image."""
    background = tuple(int(v) for v in rng.integers(150, 256, size=3))  # a table, a wall, a sheet
    skin = tuple(int(v) for v in np.array([224, 172, 105]) * rng.uniform(0.55, 1.15))
    palm = rng.uniform(14, 22)
    cx = rng.uniform(palm * 2.2, SIZE - palm * 2.2)
    cy = rng.uniform(palm * 3.2, SIZE - palm * 1.2)
    tilt = rng.uniform(-0.35, 0.35)
    image = Image.new("RGB", (SIZE, SIZE), background)
    mask = Image.new("L", (SIZE, SIZE), 0)  # the same hand in white: its bounding box is the label
    _hand(ImageDraw.Draw(image), label, cx, cy, palm, tilt, skin)
    _hand(ImageDraw.Draw(mask), label, cx, cy, palm, tilt, 255)
    left, top, right, bottom = mask.getbbox()
    box = ((left + right) / 2 / SIZE, (top + bottom) / 2 / SIZE, (right - left) / SIZE, (bottom - top) / SIZE)
    pixels = np.asarray(image).astype(np.int16) + rng.integers(-10, 11, size=(SIZE, SIZE, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB"), box


def generate(output: Path, seed: int, scale: float = 1.0) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    counts = {}
    for split, count in SPLITS.items():
        count = max(1, round(count * scale))
        images, labels = output / "images" / split, output / "labels" / split
        images.mkdir(parents=True, exist_ok=True)
        labels.mkdir(parents=True, exist_ok=True)
        for index in range(count):
            for class_id, label in enumerate(LABELS):
                image, box = hand(rng, label)
                image.save(images / f"{label}_{index:03d}.png")
                (labels / f"{label}_{index:03d}.txt").write_text(
                    f"{class_id} " + " ".join(f"{value:.6f}" for value in box) + "\n")
        counts[split] = count * len(LABELS)
    names = "\n".join(f"  {class_id}: {label}" for class_id, label in enumerate(LABELS))
    (output / "data.yaml").write_text(DATA_YAML.format(names=names))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("data"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of images per split")
    args = parser.parse_args()
    counts = generate(args.output, args.seed, args.scale)
    print(", ".join(f"{split}: {n}" for split, n in counts.items())
          + f" images written to {args.output}, described by {args.output / 'data.yaml'}")


if __name__ == "__main__":
    main()
