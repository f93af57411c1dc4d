"""Part 2: turns every image into bottleneck features, reading the images in chunks.

The lab's ResNet50 comes with ImageNet weights, which this offline project cannot download: it
builds the same architecture with `weights=None` and a fixed seed, and saves it beside the
features so that scoring later uses the very same extractor.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

SEED = 7
IMAGE_SIZE = 64
EXTRACTOR = "extractor.keras"


def image_paths(split_folder: Path) -> tuple[list[Path], list[int], list[str]]:
    classes = sorted(p.name for p in split_folder.iterdir() if p.is_dir())
    paths, labels = [], []
    for index, name in enumerate(classes):
        for path in sorted((split_folder / name).glob("*.png")):
            paths.append(path)
            labels.append(index)
    return paths, labels, classes


def load_image(path: Path) -> np.ndarray:
    image = Image.open(path).convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE))
    return np.asarray(image, dtype=np.float32)


def chunks(paths: list[Path], batch_size: int) -> Iterator[np.ndarray]:
    """Never more than `batch_size` images in memory: the lab's data set does not fit at once."""
    for start in range(0, len(paths), batch_size):
        yield np.stack([load_image(path) for path in paths[start:start + batch_size]])


def build_extractor():
    from quiet_tensorflow import import_tensorflow

    tf = import_tensorflow()

    tf.keras.utils.set_random_seed(SEED)
    base = tf.keras.applications.ResNet50(weights=None, include_top=False, pooling="avg",
                                          input_shape=(IMAGE_SIZE, IMAGE_SIZE, 3))
    inputs = tf.keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
    features = base(tf.keras.applications.resnet50.preprocess_input(inputs))
    return tf.keras.Model(inputs, features, name="bottleneck")


def featurize(data: Path, output: Path, batch_size: int) -> dict[str, int]:
    extractor = build_extractor()
    output.mkdir(parents=True, exist_ok=True)
    extractor.save(output / EXTRACTOR)
    counts = {}
    for split in ("train", "valid"):
        paths, labels, classes = image_paths(data / split)
        features = np.concatenate([extractor.predict(chunk, verbose=0) for chunk in chunks(paths, batch_size)])
        np.savez_compressed(output / f"{split}.npz", features=features, labels=np.array(labels),
                            classes=np.array(classes))
        counts[split] = len(paths)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--output", type=Path, default=Path("features"))
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    counts = featurize(args.data, args.output, args.batch_size)
    print(", ".join(f"{split}: {count} images" for split, count in counts.items()) + f" -> {args.output}")


if __name__ == "__main__":
    main()
