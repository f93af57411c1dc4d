"""The classifier: a small CNN, small enough to train on a laptop CPU in seconds."""

import os

# Before TensorFlow loads: hide its C++ log lines (such as "failed call to cuInit" on a laptop
# without an NVIDIA GPU). Python errors still show; set TF_CPP_MIN_LOG_LEVEL=0 to see everything.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf


def build_model(learning_rate: float, image_size: int = 64) -> tf.keras.Model:
    model = tf.keras.Sequential([
        tf.keras.layers.Input((image_size, image_size, 3)),
        tf.keras.layers.Rescaling(1.0 / 255),
        tf.keras.layers.Conv2D(16, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(32, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model
