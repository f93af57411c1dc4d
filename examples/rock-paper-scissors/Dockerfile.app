# The app's image: the Streamlit app with its requirements, listening on 8501 on every interface.
#   docker build -t "$REGISTRY_NAME/backup/yolov8-rock-paper-scissors-app:1.0.0" -f Dockerfile.app .
# The app mounts the attendee's object storage container at /workspace/attendee
# (`--volume attendee-$STUDENT_ID-data@GRA:/workspace/attendee:RW:cache`), and reads from it:
# the model at best.torchscript, where the training job copies its export and where the speaker's
# backup copy lands (`ovhai bucket object copy ... best.torchscript best.torchscript`), and the
# data set's test images as examples, if they are there. It runs on a CPU.
FROM python:3.11-slim
# opencv-python, which ultralytics needs, loads libGL and GLib: the slim image has neither.
RUN apt-get update && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /workspace/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY .streamlit/config.toml .streamlit/
COPY offline.py detector.py app.py ./
ENV MODEL_PATH=/workspace/attendee/best.torchscript \
    EXAMPLES_DIR=/workspace/attendee/data/images/test
EXPOSE 8501
CMD ["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
