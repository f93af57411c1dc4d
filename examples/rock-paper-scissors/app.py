"""The app: upload a photo of a hand and the model says rock, paper or scissors.

    streamlit run app.py --server.port 8501

It loads the model the training job saved (MODEL_PATH, default model/model.keras) once, then
classifies each uploaded image; the confidence slider is the same threshold as predict.py's.
The test images generated with the data set are offered as examples, for a first try.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from model import LABELS, detect, load_image, scores

MODEL_PATH = Path(os.environ.get("MODEL_PATH", "model/model.keras"))
EXAMPLES = Path(os.environ.get("EXAMPLES_DIR", "data/test"))


@st.cache_resource
def load_model(path: Path):
    import tensorflow as tf

    return tf.keras.models.load_model(path)


st.title("Rock, paper, scissors")
if not MODEL_PATH.exists():
    st.error(f"No model at {MODEL_PATH}: run `python train.py` first (or set MODEL_PATH).")
    st.stop()

confidence = st.slider("Confidence threshold", 0.05, 1.0, 0.5, 0.05)
upload = st.file_uploader("A photo of a hand", type=["png", "jpg", "jpeg"])
examples = sorted(EXAMPLES.glob("*/*.png")) if EXAMPLES.is_dir() else []
example = st.selectbox("...or an example image", ["(none)"] + [str(p.relative_to(EXAMPLES)) for p in examples])

source = upload if upload is not None else (EXAMPLES / example if example != "(none)" else None)
if source is not None:
    st.image(str(source) if isinstance(source, Path) else source, width=192)
    label_scores = scores(load_model(MODEL_PATH), load_image(source))
    found = detect(label_scores, confidence)
    if found:
        st.success(f"{found} ({label_scores[found]:.0%})")
    else:
        st.warning("Nothing detected at this threshold: lower it to see what the model sees.")
    st.bar_chart({"probability": [label_scores[label] for label in LABELS]}, x_label="", y_label="")
    st.caption("  ".join(f"{label}: {label_scores[label]:.2f}" for label in LABELS))
