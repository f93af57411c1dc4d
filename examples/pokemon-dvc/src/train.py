"""Stage 3: trains the CNN, logs its history with DVCLive and declares the model as an artifact."""

import os

# Before TensorFlow loads: hide its C++ log lines (such as "failed call to cuInit" on a laptop
# without an NVIDIA GPU). Python errors still show; set TF_CPP_MIN_LOG_LEVEL=0 to see everything.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf
from dvclive import Live
from dvclive.keras import DVCLiveCallback

from model import build_model
from utils.find_project_root import find_project_root
from utils.params import load_params

MODEL = "outputs/model.keras"


def main(params: dict) -> None:
    root = find_project_root()
    tf.keras.utils.set_random_seed(params["base"]["seed"])
    settings = params["train"]
    data = np.load(root / "data" / "split" / "train.npz")
    labels = data["labels"]
    # The type under study is rare: weigh it up so that "never this type" is not the best answer.
    weights = {0: len(labels) / (2 * max(1, (labels == 0).sum())), 1: len(labels) / (2 * max(1, labels.sum()))}
    model = build_model(settings["learning_rate"])
    (root / "outputs").mkdir(exist_ok=True)
    # DVCLive adds its metrics, its plots and the model artifact to the project's dvc.yaml.
    with Live(str(root / "outputs" / "live"), dvcyaml=str(root / "dvc.yaml"), save_dvc_exp=False) as live:
        model.fit(data["images"], labels, epochs=settings["epochs"], batch_size=settings["batch_size"],
                  validation_split=0.2, class_weight=weights, verbose=2, callbacks=[DVCLiveCallback(live=live)])
        model.save(root / MODEL)
        live.log_artifact(str(root / MODEL), type="model", name="pokemon-classifier",
                          desc=f"Is it a {params['base']['pokemon_type_train']} Pokémon?", labels=["cnn", "keras"],
                          cache=False)


if __name__ == "__main__":
    main(load_params(__doc__.splitlines()[0]))
