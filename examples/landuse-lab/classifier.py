"""The small dense classifier trained on bottleneck features, shared by training and tuning."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

EXPERIMENT = "landuse-lab"
MODEL_NAME = "landuse-classifier"


def use_tracking() -> None:
    """MLflow's store: MLFLOW_TRACKING_URI if set, else a SQLite file in the project (registry included)."""
    import mlflow

    mlflow.set_tracking_uri(os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db"))
    mlflow.set_experiment(EXPERIMENT)


def load_features(folder: Path) -> dict[str, np.ndarray]:
    train, valid = np.load(folder / "train.npz"), np.load(folder / "valid.npz")
    return {"x_train": train["features"], "y_train": train["labels"], "x_valid": valid["features"],
            "y_valid": valid["labels"], "classes": train["classes"]}


def fit(data: dict, units: int, l1: float, l2: float, epochs: int = 30, seed: int = 0):
    """Returns the trained Keras model, its per-epoch history and its validation accuracy."""
    from quiet_tensorflow import import_tensorflow

    tf = import_tensorflow()

    tf.keras.utils.set_random_seed(seed)
    regularizer = tf.keras.regularizers.L1L2(l1=l1, l2=l2)
    width = data["x_train"].shape[1]
    model = tf.keras.Sequential([
        tf.keras.layers.Input((width,)),
        tf.keras.layers.Normalization(),
        tf.keras.layers.Dense(units, activation="relu", kernel_regularizer=regularizer),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(len(data["classes"]), activation="softmax", kernel_regularizer=regularizer),
    ])
    model.layers[0].adapt(data["x_train"])
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(data["x_train"], data["y_train"], validation_data=(data["x_valid"], data["y_valid"]),
                        epochs=epochs, batch_size=32, verbose=0)
    accuracy = float(model.evaluate(data["x_valid"], data["y_valid"], verbose=0)[1])
    return model, history.history, accuracy


def log_model(model, classes) -> str:
    """Logs the model to the active MLflow run, with the class names it predicts; returns its URI.

    Its requirements name the packages this project installs (`tensorflow`, not `tensorflow-cpu`,
    which has no macOS wheel and which MLflow would report missing), and its signature the shape
    of its input and output (MLflow warns about a model logged without one)."""
    import mlflow
    from mlflow.models import infer_signature

    example = np.zeros((1, model.input_shape[-1]), dtype=np.float32)
    signature = infer_signature(example, model.predict(example, verbose=0))
    info = mlflow.tensorflow.log_model(model, name="model", pip_requirements=["tensorflow", "mlflow"],
                                       signature=signature, metadata={"classes": [str(c) for c in classes]})
    return info.model_uri
