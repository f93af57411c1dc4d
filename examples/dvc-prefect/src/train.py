"""Stage 2: a decision tree on the prepared training set."""

import pickle
from pathlib import Path

import pandas as pd
import yaml
from sklearn.tree import DecisionTreeClassifier


def train(params: dict, data: Path, model_path: Path) -> None:
    frame = pd.read_csv(data / "train.csv")
    model = DecisionTreeClassifier(max_depth=params["max_depth"], random_state=params["seed"])
    model.fit(frame.drop(columns="target"), frame["target"])
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.write_bytes(pickle.dumps(model))


if __name__ == "__main__":
    train(yaml.safe_load(open("params.yaml"))["train"], Path("data/prepared"), Path("models/model.pkl"))
