"""Stage 1: the iris data, from scikit-learn's bundled copy (no download), split for training."""

import sys
from pathlib import Path

import pandas as pd
import yaml
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split


def prepare(params: dict, output: Path) -> None:
    iris = load_iris(as_frame=True)
    frame = iris.frame.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_"))
    train, test = train_test_split(frame, test_size=params["test_size"], random_state=params["seed"],
                                   stratify=frame["target"])
    output.mkdir(parents=True, exist_ok=True)
    train.to_csv(output / "train.csv", index=False)
    test.to_csv(output / "test.csv", index=False)


if __name__ == "__main__":
    prepare(yaml.safe_load(open("params.yaml"))["prepare"], Path(sys.argv[1] if len(sys.argv) > 1 else "data/prepared"))
