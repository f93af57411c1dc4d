"""The hands-on's data and model: two concentric circles and a small MLP, trained epoch by epoch.

Training one epoch at a time (scikit-learn's `partial_fit`) gives per-epoch metrics for MLflow
and intermediate values for Optuna's pruner, without downloading anything.
"""

from __future__ import annotations

import os
import socket

import numpy as np
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

EXPERIMENT = "circles"
MODEL_NAME = "circles-classifier"
# The MLP keeps its optimiser's state; MLflow's safe (skops) format must be told it is expected.
TRUSTED_TYPES = ["sklearn.neural_network._stochastic_optimizers.AdamOptimizer"]


def tracking_uri() -> str:
    """MLFLOW_TRACKING_URI if set (a shared server), else a SQLite file here: no server needed."""
    return os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db")


def use_tracking() -> None:
    """Points MLflow at the store and the experiment, creating them once even with many workers,
    and turns on MLflow's asynchronous logging.

    Asynchronous logging: `mlflow.log_params`, `log_metrics` and `set_tag` put their data in a
    queue and return at once; a background thread sends it, one `log_batch` request per epoch, or
    one for all the epochs queued within a second (MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS), with
    MLflow's retries. Training never waits on a busy room server. Leaving `with mlflow.start_run()`
    (or the script's exit) waits until everything queued is sent, before the run is closed.
    MLFLOW_ENABLE_ASYNC_LOGGING=false logs synchronously instead, a request per call.

    Workers started together on a new SQLite store would all create its tables at once and break
    the store's migrations; a lock file beside the database lets the first one create them while
    the others wait. `filelock` takes that lock on Linux, macOS and Windows alike.
    """
    import mlflow
    from filelock import FileLock

    if os.environ.get("MLFLOW_ENABLE_ASYNC_LOGGING", "").lower() not in ("false", "0"):  # false: as before
        os.environ.setdefault("MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", "1")
        mlflow.config.enable_async_logging()
    uri = tracking_uri()
    mlflow.set_tracking_uri(uri)
    if not uri.startswith("sqlite:///"):
        mlflow.set_experiment(EXPERIMENT)  # a tracking server serialises creation itself
        return
    with FileLock(uri.removeprefix("sqlite:///") + ".init-lock"):
        mlflow.set_experiment(EXPERIMENT)


def data(seed: int = 0, samples: int = 600):
    x, y = make_circles(n_samples=samples, noise=0.12, factor=0.5, random_state=seed)
    return train_test_split(x, y, test_size=0.25, random_state=seed, stratify=y)


def train_epochs(hidden: int, layers: int, learning_rate: float, epochs: int, seed: int = 0):
    """Yields (epoch, model, loss, validation accuracy) after every epoch."""
    x_train, x_valid, y_train, y_valid = data(seed)
    model = MLPClassifier(hidden_layer_sizes=(hidden,) * layers, learning_rate_init=learning_rate,
                          random_state=seed)
    for epoch in range(1, epochs + 1):
        model.partial_fit(x_train, y_train, classes=np.array([0, 1]))
        yield epoch, model, float(model.loss_), float(model.score(x_valid, y_valid))


def decision_boundary(model):
    """A figure of what the model learned, for the run's artifacts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x_train, _, y_train, _ = data()
    grid = np.linspace(-1.5, 1.5, 120)
    xx, yy = np.meshgrid(grid, grid)
    zz = model.predict_proba(np.c_[xx.ravel(), yy.ravel()])[:, 1].reshape(xx.shape)
    figure, axes = plt.subplots(figsize=(4, 4))
    axes.contourf(xx, yy, zz, levels=20, cmap="RdBu", alpha=0.6)
    axes.scatter(x_train[:, 0], x_train[:, 1], c=y_train, cmap="RdBu", edgecolors="k", s=12)
    axes.set_title("Decision boundary")
    plt.close(figure)
    return figure


def owner_tags() -> dict[str, str]:
    """Who runs this, so that a clean-up can tell a killed process's run from a live one."""
    return {"host": socket.gethostname(), "pid": str(os.getpid())}
