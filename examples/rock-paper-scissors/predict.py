"""Classifies one image; a result counts only above the confidence threshold.

With an under-trained model, a high threshold may detect nothing at all: lower it (0.4) to see
what the model does see, and how unsure it still is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model import detect, load_image, scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("image", type=Path)
    parser.add_argument("--confidence", type=float, default=0.5, help="minimum probability to count")
    parser.add_argument("--model", type=Path, default=Path("model/model.keras"))
    args = parser.parse_args()
    if not 0 < args.confidence <= 1:
        parser.error("--confidence is a probability: between 0 (excluded) and 1")

    import tensorflow as tf

    label_scores = scores(tf.keras.models.load_model(args.model), load_image(args.image))
    found = detect(label_scores, args.confidence)
    print("  ".join(f"{label}: {p:.2f}" for label, p in label_scores.items()))
    if found:
        print(f"detected: {found} (confidence {label_scores[found]:.2f} >= {args.confidence})")
    else:
        print(f"nothing detected at confidence {args.confidence}: try a lower threshold or a longer training")


if __name__ == "__main__":
    main()
