"""Generates a small Pokémon-like data set, offline, in the layout of the workshop's Kaggle download.

    data/external/images/<pokedex_number>.png   64x64 RGBA sprites on a transparent background
    data/external/stats/pokemon-gen-1-8.csv     pokedex_number,name,type1,type2

Each type has its own palette and body shape, blurred by noise, so a small CNN has something real
to learn and cannot learn it perfectly. The same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

# Type -> (base colour, body shape): the visual signal a classifier can pick up.
TYPES = {
    "Water": ((60, 110, 220), "ellipse"),
    "Fire": ((230, 80, 40), "triangle"),
    "Grass": ((70, 170, 60), "ellipse"),
    "Bug": ((150, 180, 40), "rectangle"),
    "Normal": ((190, 170, 140), "ellipse"),
    "Electric": ((240, 210, 50), "triangle"),
    "Psychic": ((220, 90, 160), "ellipse"),
    "Dragon": ((100, 70, 200), "rectangle"),
}
SYLLABLES = ["pi", "ka", "chu", "bul", "ba", "saur", "char", "man", "der", "squi", "tle", "ee", "vee", "ron",
             "dra", "go", "nite", "zu", "bat", "mew", "tor", "chic", "lo", "ta"]


def sprite(rng: np.random.Generator, colour: tuple[int, int, int], shape: str) -> Image.Image:
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    jitter = rng.integers(-35, 36, size=3)
    fill = tuple(int(np.clip(c + j, 0, 255)) for c, j in zip(colour, jitter)) + (255,)
    x0, y0 = rng.integers(6, 20, size=2)
    x1, y1 = rng.integers(44, 58, size=2)
    if shape == "ellipse":
        draw.ellipse((x0, y0, x1, y1), fill=fill)
    elif shape == "rectangle":
        draw.rectangle((x0, y0, x1, y1), fill=fill)
    else:
        draw.polygon([((x0 + x1) // 2, y0), (x1, y1), (x0, y1)], fill=fill)
    eye = tuple(int(v) for v in rng.integers(20, 44, size=2))
    draw.ellipse((eye[0], eye[1], eye[0] + 5, eye[1] + 5), fill=(20, 20, 20, 255))
    pixels = np.asarray(image).astype(np.int16)
    noise = rng.integers(-25, 26, size=pixels.shape[:2] + (3,))
    pixels[..., :3] = np.clip(pixels[..., :3] + noise * (pixels[..., 3:] > 0), 0, 255)
    return Image.fromarray(pixels.astype(np.uint8), "RGBA")


def name(rng: np.random.Generator, taken: set[str]) -> str:
    while True:
        candidate = "".join(rng.choice(SYLLABLES, size=rng.integers(2, 4))).capitalize()
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def generate(output: Path, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    (output / "images").mkdir(parents=True, exist_ok=True)
    (output / "stats").mkdir(parents=True, exist_ok=True)
    types = list(TYPES)
    taken: set[str] = set()
    with open(output / "stats" / "pokemon-gen-1-8.csv", "w", newline="") as stats:
        writer = csv.writer(stats)
        writer.writerow(["pokedex_number", "name", "type1", "type2"])
        for number in range(1, count + 1):
            type1 = types[(number - 1) % len(types)]  # every type equally often: stratified splits work
            type2 = rng.choice([t for t in types if t != type1]) if rng.random() < 0.3 else ""
            colour, shape = TYPES[type1]
            sprite(rng, colour, shape).save(output / "images" / f"{number}.png")
            writer.writerow([number, name(rng, taken), type1, type2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("data/external"))
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate(args.output, args.count, args.seed)
    print(f"{args.count} sprites and their stats written to {args.output}")


if __name__ == "__main__":
    main()
