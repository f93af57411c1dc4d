"""Stage 3: accuracy and macro F1 on the held-out set, as JSON metrics for DVC."""

import json
import pickle
from pathlib import Path

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score


def evaluate(data: Path, model_path: Path, metrics_path: Path) -> dict:
    frame = pd.read_csv(data / "test.csv")
    model = pickle.loads(model_path.read_bytes())
    predicted = model.predict(frame.drop(columns="target"))
    metrics = {"accuracy": round(accuracy_score(frame["target"], predicted), 4),
               "f1_macro": round(f1_score(frame["target"], predicted, average="macro"), 4)}
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


if __name__ == "__main__":
    print(evaluate(Path("data/prepared"), Path("models/model.pkl"), Path("metrics.json")))
