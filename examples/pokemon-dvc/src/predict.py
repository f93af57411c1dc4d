"""Loads the trained model and says how likely a sprite is of the type under study.

This is the local stand-in for the deployed endpoint: the same model file, the same answer.
"""

import argparse
import os
from pathlib import Path

# Before TensorFlow loads: hide its C++ log lines (such as "failed call to cuInit" on a laptop
# without an NVIDIA GPU). Python errors still show; set TF_CPP_MIN_LOG_LEVEL=0 to see everything.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf

from data_preprocess import load_sprite


def predict(model_path: Path, images: list[Path]) -> list[float]:
    model = tf.keras.models.load_model(model_path)
    batch = np.stack([load_sprite(path) for path in images])
    return [float(p) for p in model.predict(batch, verbose=0).ravel()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("images", nargs="+", type=Path)
    parser.add_argument("--model", type=Path, default=Path("outputs/model.keras"))
    args = parser.parse_args()
    for path, probability in zip(args.images, predict(args.model, args.images)):
        print(f"{path}: {probability:.3f}")


if __name__ == "__main__":
    main()
