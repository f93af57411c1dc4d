"""The app: upload a photo of a hand, and the model finds rock, paper or scissors in it.

    streamlit run app.py --server.port 8501

It loads the TorchScript model the training job exported (MODEL_PATH, default
model/weights/best.torchscript; in the app's image, Dockerfile.app, the copy in the attendee's
object storage at /workspace/attendee/best.torchscript) once, then runs it on each image. The app has its own
confidence threshold, 0.5, on a slider: with an under-trained model nothing may reach it, and
lowering it shows what the model sees. The test images generated with the data set are offered
as examples, for a first try.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from PIL import Image, ImageDraw

from detector import MODEL_PATH as EXPORTED, detect, load

MODEL_PATH = Path(os.environ.get("MODEL_PATH", EXPORTED))
EXAMPLES = Path(os.environ.get("EXAMPLES_DIR", "data/images/test"))
THRESHOLD = 0.5  # the app's own default, stricter than ultralytics' 0.25
COLOURS = {"rock": "#d62728", "paper": "#1f77b4", "scissors": "#2ca02c"}


@st.cache_resource
def exported_model(path: str):
    return load(Path(path))


st.title("Rock, paper, scissors")
if not MODEL_PATH.exists():
    st.error(f"No model at {MODEL_PATH}: run `python train.py` first (or set MODEL_PATH).")
    st.stop()

confidence = st.slider("Confidence threshold", 0.05, 1.0, THRESHOLD, 0.05)
upload = st.file_uploader("A photo of a hand", type=["png", "jpg", "jpeg"])
examples = sorted(EXAMPLES.glob("*.png")) if EXAMPLES.is_dir() else []
example = st.selectbox("...or an example image", ["(none)"] + [p.name for p in examples])

source = upload if upload is not None else (EXAMPLES / example if example != "(none)" else None)
if source is not None:
    image = Image.open(source).convert("RGB")
    found = detect(exported_model(str(MODEL_PATH)), image, confidence)
    drawn = image.copy()
    draw = ImageDraw.Draw(drawn)
    for label, _, box in found:
        draw.rectangle(box, outline=COLOURS.get(label, "black"), width=2)
    st.image(drawn, width=256)
    if found:
        st.success(", ".join(f"{label} ({score:.0%})" for label, score, _ in found))
    else:
        st.warning("Nothing detected at this threshold: lower it to see what the model sees.")
