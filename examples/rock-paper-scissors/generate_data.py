"""Draws hands showing rock, paper or scissors, offline, in train/valid/test folders by label.

    data/<split>/<rock|paper|scissors>/<nnn>.png   (64x64 RGB)

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
SIZE = 64
SPLITS = {"train": 80, "valid": 20, "test": 10}


def _finger(draw: ImageDraw.ImageDraw, base: tuple[float, float], angle: float, length: float, width: int,
            colour: tuple) -> None:
    tip = (base[0] + length * math.sin(angle), base[1] - length * math.cos(angle))
    draw.line((base, tip), fill=colour, width=width)
    draw.ellipse((tip[0] - width / 2, tip[1] - width / 2, tip[0] + width / 2, tip[1] + width / 2), fill=colour)


def hand(rng: np.random.Generator, label: str) -> Image.Image:
    background = tuple(int(v) for v in rng.integers(150, 256, size=3))  # a table, a wall, a sheet
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    skin = tuple(int(v) for v in np.array([224, 172, 105]) * rng.uniform(0.55, 1.15))
    cx, cy = rng.uniform(26, 38), rng.uniform(36, 44)
    palm = rng.uniform(9, 12)
    tilt = rng.uniform(-0.35, 0.35)
    draw.ellipse((cx - palm, cy - palm, cx + palm, cy + palm), fill=skin)
    if label == "paper":
        for k in range(5):
            _finger(draw, (cx, cy - palm / 2), tilt + (k - 2) * 0.38, palm * 2.0, 4, skin)
    elif label == "scissors":
        for k in (-1, 1):
            _finger(draw, (cx, cy - palm / 2), tilt + k * 0.3, palm * 2.2, 5, skin)
    else:  # rock: knuckles on top of the fist
        for k in range(4):
            x = cx - palm * 0.75 + k * palm / 2
            draw.ellipse((x - 3, cy - palm - 2, x + 3, cy - palm + 4), fill=skin)
    pixels = np.asarray(image).astype(np.int16) + rng.integers(-10, 11, size=(SIZE, SIZE, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def generate(output: Path, seed: int, scale: float = 1.0) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    counts = {}
    for split, count in SPLITS.items():
        count = max(1, round(count * scale))
        for label in LABELS:
            folder = output / split / label
            folder.mkdir(parents=True, exist_ok=True)
            for index in range(count):
                hand(rng, label).save(folder / f"{index:03d}.png")
        counts[split] = count * len(LABELS)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("data"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of images per split")
    args = parser.parse_args()
    counts = generate(args.output, args.seed, args.scale)
    print(", ".join(f"{split}: {n}" for split, n in counts.items()) + f" images written to {args.output}")


if __name__ == "__main__":
    main()
