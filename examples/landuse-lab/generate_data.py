"""Draws small aerial-like tiles of six land uses, offline, in the lab's folder layout.

    data/train/<class>/<nnn>.png   and   data/valid/<class>/<nnn>.png   (64x64 RGB)

Each class has its own ground colour and texture (fields in stripes, buildings in blocks, tree
crowns as dots...), with random variation, so a classifier has a real but imperfect signal.
The same seed always gives the same images.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ["Barren", "Cultivated", "Developed", "Forest", "Herbaceous", "Shrub"]
GROUND = {"Barren": (176, 156, 120), "Cultivated": (150, 170, 80), "Developed": (130, 130, 135),
          "Forest": (40, 90, 45), "Herbaceous": (120, 160, 90), "Shrub": (110, 115, 70)}
SIZE = 64


def tile(rng: np.random.Generator, land_use: str) -> Image.Image:
    ground = np.array(GROUND[land_use]) + rng.integers(-20, 21, size=3)
    image = Image.new("RGB", (SIZE, SIZE), tuple(int(v) for v in np.clip(ground, 0, 255)))
    draw = ImageDraw.Draw(image)
    darker = tuple(int(v) for v in np.clip(ground * 0.7, 0, 255))
    lighter = tuple(int(v) for v in np.clip(ground * 1.25, 0, 255))
    if land_use == "Cultivated":  # parallel furrows
        step = int(rng.integers(4, 8))
        for x in range(0, SIZE, step):
            draw.line((x, 0, x, SIZE), fill=darker, width=2)
    elif land_use == "Developed":  # roofs and roads
        for _ in range(int(rng.integers(4, 9))):
            x, y = rng.integers(0, SIZE - 12, size=2)
            w, h = rng.integers(6, 14, size=2)
            draw.rectangle((x, y, x + w, y + h), fill=lighter)
        draw.line((0, int(rng.integers(0, SIZE)), SIZE, int(rng.integers(0, SIZE))), fill=(60, 60, 60), width=3)
    elif land_use in ("Forest", "Shrub"):  # crowns: many and large, or few and small
        count, radius = (70, 5) if land_use == "Forest" else (25, 2)
        for _ in range(count):
            x, y = rng.integers(0, SIZE, size=2)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=darker)
    elif land_use == "Herbaceous":  # patchy grass
        for _ in range(12):
            x, y = rng.integers(0, SIZE, size=2)
            draw.ellipse((x - 6, y - 4, x + 6, y + 4), fill=lighter)
    pixels = np.asarray(image).astype(np.int16) + rng.integers(-12, 13, size=(SIZE, SIZE, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def generate(output: Path, train: int, valid: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for split, count in (("train", train), ("valid", valid)):
        for land_use in CLASSES:
            folder = output / split / land_use
            folder.mkdir(parents=True, exist_ok=True)
            for index in range(count):
                tile(rng, land_use).save(folder / f"{index:03d}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("data"))
    parser.add_argument("--train", type=int, default=30, help="images per class for training")
    parser.add_argument("--valid", type=int, default=10, help="images per class for validation")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.output, args.train, args.valid, args.seed)
    print(f"{len(CLASSES) * (args.train + args.valid)} tiles of {len(CLASSES)} classes written to {args.output}")


if __name__ == "__main__":
    main()
