"""Stage 1: sprites and stats in, one array of RGB images and binary labels out.

The label says whether a Pokémon has the type under study (`base.pokemon_type_train`) as its
first or second type; sprites are composited on white so the transparent background means nothing.
"""

import csv
from pathlib import Path

import numpy as np
from PIL import Image

from utils.find_project_root import find_project_root
from utils.params import load_params


def load_sprite(path: Path) -> np.ndarray:
    sprite = Image.open(path).convert("RGBA")
    background = Image.new("RGBA", sprite.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(background, sprite).convert("RGB"), dtype=np.uint8)


def main(params: dict) -> None:
    root = find_project_root()
    settings = params["data_preprocess"]
    source = root / settings["source_directory"]
    destination = root / settings["destination_directory"]
    wanted = params["base"]["pokemon_type_train"]
    numbers, images, labels = [], [], []
    with open(source / settings["dataset_labels"], newline="") as stats:
        for row in csv.DictReader(stats):
            path = source / settings["dataset_images"] / f"{row['pokedex_number']}.png"
            if not path.exists():
                continue  # the real data set has stats for Pokémon without a sprite
            numbers.append(int(row["pokedex_number"]))
            images.append(load_sprite(path))
            labels.append(int(wanted in (row["type1"], row["type2"])))
    if not any(labels):
        raise SystemExit(f"no Pokémon of type {wanted!r} in {source}: check base.pokemon_type_train")
    destination.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(destination / "pokemon.npz", images=np.stack(images), labels=np.array(labels),
                        numbers=np.array(numbers))
    print(f"{len(labels)} sprites, {sum(labels)} of type {wanted}, written to {destination / 'pokemon.npz'}")


if __name__ == "__main__":
    main(load_params(__doc__.splitlines()[0]))
