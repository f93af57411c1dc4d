"""Part 4: the scoring script a deployment platform calls: `init()` once, then `run()` per request.

A request is JSON with either `image` (a path the service can read) or `png` (the image itself,
base64-encoded); the answer is JSON mapping each land use to its probability.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
from PIL import Image

from classifier import MODEL_NAME, use_tracking
from featurize import EXTRACTOR, IMAGE_SIZE

_state: dict = {}


def init(model_uri: str = f"models:/{MODEL_NAME}/latest", features: Path = Path("features")) -> None:
    import mlflow

    from quiet_tensorflow import import_tensorflow

    tf = import_tensorflow()
    use_tracking()
    _state["extractor"] = tf.keras.models.load_model(features / EXTRACTOR)
    _state["model"] = mlflow.tensorflow.load_model(model_uri)
    _state["classes"] = mlflow.models.get_model_info(model_uri).metadata["classes"]


def _image(request: dict) -> np.ndarray:
    if "png" in request:
        image = Image.open(io.BytesIO(base64.b64decode(request["png"])))
    elif "image" in request:
        image = Image.open(request["image"])
    else:
        raise ValueError("the request needs 'image' (a path) or 'png' (base64)")
    return np.asarray(image.convert("RGB").resize((IMAGE_SIZE, IMAGE_SIZE)), dtype=np.float32)[None]


def run(raw_request: str) -> str:
    if not _state:
        raise RuntimeError("call init() before run()")
    features = _state["extractor"].predict(_image(json.loads(raw_request)), verbose=0)
    probabilities = _state["model"].predict(features, verbose=0)[0]
    return json.dumps({name: round(float(p), 4) for name, p in zip(_state["classes"], probabilities)})
