"""Part 3: a grid search over units, L1 and L2, capped in runs, a few at a time.

Each combination trains in a worker process; this process logs every trial as a nested MLflow
run (one writer, so the tracking store sees no concurrent writes) and registers the best model
as a new version of `landuse-classifier` in the model registry.
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

GRID = {"units": [32, 64, 128], "l1": [0.0, 0.001], "l2": [0.0, 0.01]}


def trials(max_runs: int, seed: int) -> list[dict]:
    """The grid in a seeded random order, cut at `max_runs`: the lab's run budget."""
    combinations = [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]
    random.Random(seed).shuffle(combinations)
    return combinations[:max_runs]


def trial(features: str, params: dict, epochs: int, out: str) -> tuple[dict, float, list, list]:
    from classifier import fit, load_features

    model, history, accuracy = fit(load_features(Path(features)), epochs=epochs, **params)
    model.save(out)
    return params, accuracy, history["loss"], history["val_loss"]


def search(features: Path, max_runs: int = 8, workers: int = 2, epochs: int = 30, seed: int = 0):
    """Runs the capped grid search; returns the trials as (params, accuracy) best first, and the new version."""
    import mlflow

    from classifier import MODEL_NAME, load_features, log_model, use_tracking
    from quiet_tensorflow import import_tensorflow

    tf = import_tensorflow()

    use_tracking()
    chosen = trials(max_runs, seed)
    with tempfile.TemporaryDirectory() as scratch, mlflow.start_run(run_name="grid search"):
        mlflow.log_params({"max_runs": max_runs, "workers": workers, "grid": str(GRID)})
        outs = [str(Path(scratch) / f"trial-{i}.keras") for i in range(len(chosen))]
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(trial, [str(features)] * len(chosen), chosen, [epochs] * len(chosen), outs))
        best = max(range(len(results)), key=lambda i: results[i][1])
        for index, (params, accuracy, losses, val_losses) in enumerate(results):
            with mlflow.start_run(run_name=" ".join(f"{k}={v}" for k, v in params.items()), nested=True):
                mlflow.log_params(params)
                for epoch, (loss, val_loss) in enumerate(zip(losses, val_losses)):
                    mlflow.log_metrics({"loss": loss, "val_loss": val_loss}, step=epoch)
                mlflow.log_metric("val_accuracy", accuracy)
                if index == best:
                    best_uri = log_model(tf.keras.models.load_model(outs[index]), load_features(features)["classes"])
        mlflow.log_metric("best_val_accuracy", results[best][1])
        version = mlflow.register_model(best_uri, MODEL_NAME)
    ranked = sorted(((params, accuracy) for params, accuracy, _, _ in results), key=lambda r: -r[1])
    return ranked, version.version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--max-runs", type=int, default=8, help="at most this many combinations")
    parser.add_argument("--workers", type=int, default=2, help="trials trained at the same time")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    ranked, version = search(args.features, args.max_runs, args.workers, args.epochs, args.seed)
    for params, accuracy in ranked:
        print(f"{accuracy:.3f}  {params}")
    print(f"best: {ranked[0][0]} -> landuse-classifier version {version}")


if __name__ == "__main__":
    main()
