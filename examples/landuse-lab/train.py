"""Part 3: trains the classifier once with the hyperparameters given, tracked in MLflow."""

from __future__ import annotations

import argparse
from pathlib import Path

from classifier import fit, load_features, log_model, use_tracking


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--units", type=int, default=64, help="units in the hidden layer")
    parser.add_argument("--l1", type=float, default=0.0, help="L1 regularisation")
    parser.add_argument("--l2", type=float, default=0.01, help="L2 regularisation")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()

    import mlflow

    use_tracking()
    data = load_features(args.features)
    with mlflow.start_run(run_name=f"units={args.units} l1={args.l1} l2={args.l2}") as run:
        mlflow.log_params({"units": args.units, "l1": args.l1, "l2": args.l2, "epochs": args.epochs})
        model, history, accuracy = fit(data, args.units, args.l1, args.l2, args.epochs)
        for epoch, (loss, val_loss) in enumerate(zip(history["loss"], history["val_loss"])):
            mlflow.log_metrics({"loss": loss, "val_loss": val_loss}, step=epoch)
        mlflow.log_metric("val_accuracy", accuracy)
        log_model(model, data["classes"])
    print(f"run {run.info.run_id}: validation accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
