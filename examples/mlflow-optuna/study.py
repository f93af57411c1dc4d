"""An Optuna study whose every trial is an MLflow run; the best model goes to the registry.

TPE sampler and median pruner, both seeded. Several copies of this script can work on one study
at once, on one laptop or across a room, through `--storage`:

    sqlite:///optuna.db                                 one laptop (the default)
    journal:optuna.log                                  one laptop, several processes
    postgresql+psycopg2://USER@HOST:5433/optuna         a room: every laptop reaches the database
    grpc://HOST:13000                                   a room: Optuna's gRPC proxy in front of it

On a database (RDB) storage each running trial records a heartbeat; a trial whose process stopped
(a killed worker, a closed laptop) is marked FAIL by the next trial that starts, and queued again
with the same parameters.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
import warnings

import mlflow
import optuna

from circles import MODEL_NAME, TRUSTED_TYPES, decision_boundary, owner_tags, train_epochs, tracking_uri, use_tracking

# Where people open the MLflow UI: the tracking server itself, else `mlflow ui` on this laptop.
UI_URL = os.environ.get("MLFLOW_UI_URL") or (tracking_uri() if tracking_uri().startswith("http")
                                             else "http://127.0.0.1:5000")
HEARTBEAT = 10  # seconds between a running trial's heartbeats on an RDB storage
RETRIES = 2  # times a trial whose process stopped is queued again

# Heartbeats and the retry callback are still marked experimental by Optuna; they are used on purpose.
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def storage(url: str, heartbeat: int = HEARTBEAT, grace: int | None = None):
    """The Optuna storage behind `url`.

    `journal:<file>`: Optuna's journal file, safe for several processes of one machine.
    `grpc://HOST:PORT`: Optuna's gRPC storage proxy (`python room.py proxy`), for laptops that
    must not reach the database; such a worker records no heartbeat (see cleanup.py).
    Else an RDB URL (`sqlite:///...`, `postgresql+psycopg2://...`): with `heartbeat` > 0, a running
    trial records a heartbeat every `heartbeat` seconds; one silent for `grace` seconds (default
    twice the heartbeat) is failed by the next trial that starts (`fail_stale_trials`), and the
    retry callback queues it again, with the same parameters, up to RETRIES times.
    """
    if url.startswith("journal:"):
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend

        return JournalStorage(JournalFileBackend(url.removeprefix("journal:")))
    if url.startswith("grpc://"):
        from optuna.storages import GrpcStorageProxy

        host, _, port = url.removeprefix("grpc://").rstrip("/").rpartition(":")
        proxy = GrpcStorageProxy(host=host, port=int(port))
        proxy.wait_server_ready(timeout=60)
        return proxy
    if url.startswith("postgresql://") and importlib.util.find_spec("psycopg") is None:
        raise SystemExit("write postgresql+psycopg2://...: SQLAlchemy 2.1 reads postgresql:// as psycopg 3, "
                         "which is not installed (psycopg2-binary is)")
    if heartbeat <= 0:
        return url
    from optuna.storages import RDBStorage

    return RDBStorage(url, heartbeat_interval=heartbeat, grace_period=grace or 2 * heartbeat,
                      heartbeat_stale_trial_callback=stale_trial,
                      engine_kwargs={} if url.startswith("sqlite") else {"pool_pre_ping": True})


def stale_trial(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
    """Called for a trial that the heartbeat found abandoned, once Optuna has marked it FAIL: its
    MLflow run is marked FAILED too, and the trial is queued again with the same parameters."""
    from optuna.storages import RetryHeartbeatStaleTrialCallback  # RetryFailedTrialCallback before Optuna 4.9

    run_id = trial.user_attrs.get("mlflow_run_id")
    if run_id:
        client = mlflow.tracking.MlflowClient(tracking_uri())
        try:
            if client.get_run(run_id).info.status == "RUNNING":
                client.set_tag(run_id, "status", "failed")
                client.set_terminated(run_id, status="FAILED")
        except mlflow.exceptions.MlflowException as error:
            print(f"trial {trial.number}: its MLflow run {run_id} could not be marked FAILED: {error}")
    RetryHeartbeatStaleTrialCallback(max_retry=RETRIES)(study, trial)


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
    parser.add_argument("--storage", default="sqlite:///optuna.db",
                        help="an RDB URL (sqlite:///..., postgresql+psycopg2://...), journal:<file> or grpc://HOST:PORT")
    parser.add_argument("--heartbeat", type=int, default=HEARTBEAT,
                        help="seconds between a running trial's heartbeats on an RDB storage; 0 turns them off")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-register", action="store_true", help="leave the registry alone (workers)")
    parser.add_argument("--epoch-delay", type=float, default=0.0, help=argparse.SUPPRESS)  # for the tests
    args = parser.parse_args()

    use_tracking()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=args.study_name, storage=storage(args.storage, args.heartbeat),
                                load_if_exists=True, direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=args.seed),
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
