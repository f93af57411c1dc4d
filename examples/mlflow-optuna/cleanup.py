"""Finds MLflow runs and Optuna trials left RUNNING by killed processes, and marks them FAILED.

A process killed inside `with mlflow.start_run()` or inside `study.optimize()` never closes its
run or trial: both stay RUNNING for ever and clutter every comparison. The runs and trials of
this project record the host and process that own them; when that process no longer exists on
this host, the run or trial is dangling. Runs and trials of other hosts are listed, not touched.
"""

from __future__ import annotations

import argparse
import os
import socket
from pathlib import Path

import mlflow
import optuna
from mlflow.tracking import MlflowClient
from optuna.trial import TrialState

from circles import tracking_uri
from study import storage


def owner_alive(host: str | None, pid: str | None) -> bool | None:
    """True or False for a process of this host; None when it cannot be known (another host)."""
    if not host or not pid or host != socket.gethostname():
        return None
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        return stat.read_text().split(") ")[-1][:1] != "Z"  # a zombie has finished its work
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def dangling_runs(client: MlflowClient) -> list:
    experiments = [e.experiment_id for e in client.search_experiments()]
    running = client.search_runs(experiments, filter_string="attributes.status = 'RUNNING'") if experiments else []
    return [(run, owner_alive(run.data.tags.get("host"), run.data.tags.get("pid"))) for run in running]


def dangling_trials(optuna_storage) -> list:
    found = []
    for summary in optuna.get_all_study_summaries(optuna_storage):
        study = optuna.load_study(study_name=summary.study_name, storage=optuna_storage)
        for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
            found.append((study, trial, owner_alive(trial.user_attrs.get("host"), trial.user_attrs.get("pid"))))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage", default="sqlite:///optuna.db", help="the Optuna storage to check")
    parser.add_argument("--dry-run", action="store_true", help="only list what would be marked FAILED")
    args = parser.parse_args()

    client = MlflowClient(tracking_uri())
    mlflow.set_tracking_uri(tracking_uri())
    fixed = 0
    for run, alive in dangling_runs(client):
        if alive is False:
            print(f"MLflow run {run.info.run_id} ({run.info.run_name}): owner gone, marking FAILED")
            if not args.dry_run:
                client.set_tag(run.info.run_id, "status", "failed")
                client.set_terminated(run.info.run_id, status="FAILED")
                fixed += 1
        elif alive is None:
            print(f"MLflow run {run.info.run_id}: running on another host, left alone")
    optuna_storage = storage(args.storage)
    for study, trial, alive in dangling_trials(optuna_storage):
        if alive is False:
            print(f"Optuna trial {trial.number} of {study.study_name}: owner gone, marking FAILED")
            if not args.dry_run:
                study._storage.set_trial_state_values(trial._trial_id, TrialState.FAIL)
                fixed += 1
        elif alive is None:
            print(f"Optuna trial {trial.number} of {study.study_name}: running on another host, left alone")
    print(f"{fixed} dangling runs and trials marked FAILED")


if __name__ == "__main__":
    main()
