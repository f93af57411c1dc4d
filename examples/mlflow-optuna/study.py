"""An Optuna study whose every trial is an MLflow run; the best model goes to the registry.

TPE sampler and median pruner, both seeded. Several copies of this script can work on one study
at once (`--storage` shared by all: a SQLite file or an Optuna journal file), which is how the
distributed run of the project ideas works.
"""

from __future__ import annotations

import argparse
import os
import time

import mlflow
import optuna

from circles import MODEL_NAME, TRUSTED_TYPES, decision_boundary, owner_tags, train_epochs, use_tracking

UI_URL = os.environ.get("MLFLOW_UI_URL", "http://127.0.0.1:5000")


def storage(url: str):
    """`journal:<file>` for Optuna's journal file (safe for many processes), else an RDB URL."""
    if url.startswith("journal:"):
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend

        return JournalStorage(JournalFileBackend(url.removeprefix("journal:")))
    return url


def objective(trial: optuna.Trial, epochs: int, epoch_delay: float) -> float:
    params = {"hidden": trial.suggest_int("hidden", 2, 32, log=True),
              "layers": trial.suggest_int("layers", 1, 3),
              "learning_rate": trial.suggest_float("learning_rate", 1e-3, 1e-1, log=True)}
    tags = {**owner_tags(), "status": "running", "optuna.study": trial.study.study_name,
            "optuna.trial": str(trial.number)}
    with mlflow.start_run(run_name=f"trial {trial.number}", tags=tags) as run:
        experiment_id = run.info.experiment_id
        trial.set_user_attr("mlflow_run_id", run.info.run_id)
        trial.set_user_attr("mlflow_run_url", f"{UI_URL}/#/experiments/{experiment_id}/runs/{run.info.run_id}")
        for key, value in owner_tags().items():
            trial.set_user_attr(key, value)
        mlflow.log_params(params)
        for epoch, model, loss, accuracy in train_epochs(params["hidden"], params["layers"],
                                                         params["learning_rate"], epochs):
            mlflow.log_metrics({"loss": loss, "val_accuracy": accuracy}, step=epoch)
            trial.report(accuracy, epoch)
            time.sleep(epoch_delay)
            if trial.should_prune():
                mlflow.set_tag("status", "pruned")
                raise optuna.TrialPruned()
        mlflow.log_figure(decision_boundary(model), "decision_boundary.png")
        info = mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"],
                                        skops_trusted_types=TRUSTED_TYPES)
        trial.set_user_attr("mlflow_model_uri", info.model_uri)
        mlflow.set_tag("status", "completed")
    return accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10, help="trials this process runs")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--study-name", default="circles")
    parser.add_argument("--storage", default="sqlite:///optuna.db", help="an RDB URL or journal:<file>")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-register", action="store_true", help="leave the registry alone (workers)")
    parser.add_argument("--epoch-delay", type=float, default=0.0, help=argparse.SUPPRESS)  # for the tests
    args = parser.parse_args()

    use_tracking()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=args.study_name, storage=storage(args.storage), load_if_exists=True,
                                direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=5))
    study.optimize(lambda trial: objective(trial, args.epochs, args.epoch_delay), n_trials=args.trials,
                   catch=(ValueError,))
    states = [t.state.name for t in study.trials]
    print(f"{len(states)} trials: " + ", ".join(f"{states.count(s)} {s.lower()}" for s in sorted(set(states))))
    best = study.best_trial
    print(f"best: trial {best.number}, accuracy {best.value:.3f}, {best.params}")
    print(f"its MLflow run: {best.user_attrs['mlflow_run_url']}")
    if not args.no_register:
        version = mlflow.register_model(best.user_attrs["mlflow_model_uri"], MODEL_NAME)
        print(f"registered as models:/{MODEL_NAME}/{version.version}")


if __name__ == "__main__":
    main()
