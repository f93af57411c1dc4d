"""One training by hand, tracked in MLflow: parameters, per-epoch metrics, a figure, the model."""

from __future__ import annotations

import argparse

import mlflow

from circles import TRUSTED_TYPES, decision_boundary, owner_tags, train_epochs, use_tracking


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=16, help="units per hidden layer")
    parser.add_argument("--layers", type=int, default=2, help="hidden layers")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate")
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()

    use_tracking()  # MLflow logs in the background: the epochs never wait on the server
    with mlflow.start_run(tags={**owner_tags(), "status": "running"}) as run:
        mlflow.log_params(vars(args))
        for epoch, model, loss, accuracy in train_epochs(args.hidden, args.layers, args.lr, args.epochs):
            mlflow.log_metrics({"loss": loss, "val_accuracy": accuracy}, step=epoch)
        mlflow.log_figure(decision_boundary(model), "decision_boundary.png")
        mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"],
                                 skops_trusted_types=TRUSTED_TYPES)
        mlflow.set_tag("status", "completed")
    print(f"run {run.info.run_id}: validation accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main()
