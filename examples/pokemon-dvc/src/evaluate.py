"""Stage 4: scores the model on the held-out sprites; metrics, and a confusion matrix logged with DVCLive."""

import csv
import os

# Before TensorFlow loads: hide its C++ log lines (such as "failed call to cuInit" on a laptop
# without an NVIDIA GPU). Python errors still show; set TF_CPP_MIN_LOG_LEVEL=0 to see everything.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
import yaml
from dvclive import Live
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

from train import MODEL
from utils.find_project_root import find_project_root
from utils.params import load_params


def main(params: dict) -> None:
    root = find_project_root()
    data = np.load(root / "data" / "split" / "test.npz")
    model = tf.keras.models.load_model(root / MODEL)
    predicted = (model.predict(data["images"], verbose=0).ravel() >= 0.5).astype(int)
    actual = data["labels"]
    metrics = {
        "accuracy": round(float(accuracy_score(actual, predicted)), 4),
        "precision": round(float(precision_score(actual, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(actual, predicted, zero_division=0)), 4),
        "f1": round(float(f1_score(actual, predicted, zero_division=0)), 4),
    }
    outputs = root / "outputs"
    (outputs / "metrics.yaml").write_text(yaml.safe_dump(metrics))
    wanted = params["base"]["pokemon_type_train"]
    names = {0: f"not {wanted}", 1: wanted}
    with open(outputs / "predictions.csv", "w", newline="") as table:
        writer = csv.writer(table)
        writer.writerow(["pokedex_number", "actual", "predicted"])
        for number, truth, guess in zip(data["numbers"], actual, predicted):
            writer.writerow([int(number), names[int(truth)], names[int(guess)]])
    # DVCLive writes the matrix where dvc.yaml's `plots` expects it; dvc.yaml itself is left alone.
    with Live(str(outputs / "eval"), dvcyaml=False, save_dvc_exp=False) as live:
        live.log_sklearn_plot("confusion_matrix", [names[int(t)] for t in actual],
                              [names[int(p)] for p in predicted], name="confusion_matrix.json")
    print(yaml.safe_dump(metrics), end="")


if __name__ == "__main__":
    main(load_params(__doc__.splitlines()[0]))
