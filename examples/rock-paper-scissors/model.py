"""The classifier and how images reach it, shared by training, prediction and the app."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

LABELS = ["rock", "paper", "scissors"]
SIZE = 64


def load_image(source) -> np.ndarray:
    """A path or a file-like object (an upload) as one RGB array of the model's size."""
    return np.asarray(Image.open(source).convert("RGB").resize((SIZE, SIZE)), dtype=np.float32)


def load_split(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    images, labels = [], []
    for index, label in enumerate(LABELS):
        for path in sorted((folder / label).glob("*.png")):
            images.append(load_image(path))
            labels.append(index)
    return np.stack(images), np.array(labels)


def build_model():
    import tensorflow as tf

    model = tf.keras.Sequential([
        tf.keras.layers.Input((SIZE, SIZE, 3)),
        tf.keras.layers.Rescaling(1.0 / 255),
        tf.keras.layers.Conv2D(16, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(32, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(32, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),  # where the fingers are matters: keep the layout
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(len(LABELS), activation="softmax"),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def scores(model, image: np.ndarray) -> dict[str, float]:
    probabilities = model.predict(image[None], verbose=0)[0]
    return {label: float(p) for label, p in zip(LABELS, probabilities)}


# --8<-- [start:detect]
def detect(label_scores: dict[str, float], confidence: float) -> str | None:
    """The label the model is sure enough of, or None: below the threshold nothing counts."""
    best = max(label_scores, key=label_scores.get)
    return best if label_scores[best] >= confidence else None
# --8<-- [end:detect]
