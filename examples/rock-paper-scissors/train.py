"""The training job: the notebook's training as a script, configured by environment variables.

    NB_OF_EPOCHS   epochs (5 in the notebook, 10 for a quick job, 50 for the full one); default 5
    DATA_DIR       the data set, with train/ and valid/ folders; default data
    OUTPUT_DIR     where the model, its export and its training curves go; default model
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from model import build_model, load_split


def main() -> None:
    import tensorflow as tf

    epochs = int(os.environ.get("NB_OF_EPOCHS", "5"))
    data = Path(os.environ.get("DATA_DIR", "data"))
    output = Path(os.environ.get("OUTPUT_DIR", "model"))
    output.mkdir(parents=True, exist_ok=True)
    tf.keras.utils.set_random_seed(int(os.environ.get("SEED", "0")))
    train, valid = load_split(data / "train"), load_split(data / "valid")
    model = build_model()
    history = model.fit(*train, validation_data=valid, epochs=epochs, batch_size=16, verbose=0).history
    with open(output / "curves.csv", "w", newline="") as curves:
        writer = csv.writer(curves)
        writer.writerow(["epoch", "loss", "val_loss", "accuracy", "val_accuracy"])
        for epoch in range(epochs):
            writer.writerow([epoch + 1] + [round(history[k][epoch], 4) for k in
                                           ("loss", "val_loss", "accuracy", "val_accuracy")])
    print(f"{'epoch':>5} {'loss':>8} {'val_loss':>8}")
    for epoch in range(epochs):
        print(f"{epoch + 1:>5} {history['loss'][epoch]:>8.3f} {history['val_loss'][epoch]:>8.3f}")
    model.save(output / "model.keras")
    model.export(str(output / "export"), verbose=False)  # a SavedModel, for serving outside Keras
    print(f"model saved to {output / 'model.keras'}, exported to {output / 'export'}")


if __name__ == "__main__":
    main()
