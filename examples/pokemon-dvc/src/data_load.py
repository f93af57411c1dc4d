"""Stage 2: a stratified train/test split, so both sides keep the share of the type under study."""

import numpy as np
from sklearn.model_selection import train_test_split

from utils.find_project_root import find_project_root
from utils.params import load_params


def main(params: dict) -> None:
    root = find_project_root()
    processed = root / params["data_preprocess"]["destination_directory"]
    data = np.load(processed / "pokemon.npz")
    indices = np.arange(len(data["labels"]))
    train, test = train_test_split(indices, test_size=params["train"]["test_size"],
                                   random_state=params["base"]["seed"], stratify=data["labels"])
    split = root / "data" / "split"
    split.mkdir(parents=True, exist_ok=True)
    for name, part in (("train", train), ("test", test)):
        np.savez_compressed(split / f"{name}.npz", images=data["images"][part], labels=data["labels"][part],
                            numbers=data["numbers"][part])
    print(f"train: {len(train)} sprites, test: {len(test)} sprites")


if __name__ == "__main__":
    main(load_params(__doc__.splitlines()[0]))
