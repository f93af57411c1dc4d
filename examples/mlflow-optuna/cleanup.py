"""Closes what killed processes and closed laptops left RUNNING: Optuna trials and their MLflow runs.

A process killed inside `with mlflow.start_run()` or inside `study.optimize()` never closes its
run or trial. On a database storage the workers record heartbeats, and the next trial that starts
fails the silent ones and queues them again (study.py); this script does the same when no worker is
left to do it, on any host's trials, with Optuna's and MLflow's public API only:

- `fail_stale_trials` on every study: trials whose heartbeat stopped become FAIL, their MLflow run
  FAILED, and they are queued again (study.stale_trial);
- with `--stale-after MINUTES`, also trials that record no heartbeat (a journal file, the gRPC
  proxy) and plain MLflow runs: RUNNING, and no metric logged for that long.
"""

from __future__ import annotations

import argparse
import time

import mlflow
import optuna
from mlflow.tracking import MlflowClient
from optuna.trial import TrialState

from circles import tracking_uri
from study import HEARTBEAT, stale_trial, storage


def last_sign_of_life(client: MlflowClient, run) -> float:
    """Seconds since the run last logged a metric (or started)."""
    stamps = [run.info.start_time or 0]
    for key in run.data.metrics:
        stamps += [metric.timestamp for metric in client.get_metric_history(run.info.run_id, key)[-1:]]
    return time.time() - max(stamps) / 1000


def running_runs(client: MlflowClient) -> list:
    experiments = [e.experiment_id for e in client.search_experiments()]
    return client.search_runs(experiments, filter_string="attributes.status = 'RUNNING'") if experiments else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage", default="sqlite:///optuna.db", help="the Optuna storage to check")
    parser.add_argument("--stale-after", type=float, metavar="MINUTES",
                        help="also close RUNNING runs and trials that logged nothing for that long")
    parser.add_argument("--grace", type=int, default=2 * HEARTBEAT, metavar="SECONDS",
                        help="a trial whose heartbeat is older than this is abandoned")
    parser.add_argument("--dry-run", action="store_true", help="only list what would be closed")
    args = parser.parse_args()

    mlflow.set_tracking_uri(tracking_uri())
    client = MlflowClient(tracking_uri())
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    optuna_storage = storage(args.storage, grace=args.grace)  # a storage object, heartbeat on where the storage has it
    fixed = 0
    for summary in optuna.get_all_study_summaries(optuna_storage):
        study = optuna.load_study(study_name=summary.study_name, storage=optuna_storage)
        before = {t.number for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))}
        if args.dry_run:
            print(f"study {study.study_name}: {len(before)} running trials")
            continue
        optuna.storages.fail_stale_trials(study)  # marks FAIL, then study.stale_trial for each
        failed = {t.number for t in study.get_trials(deepcopy=False, states=(TrialState.FAIL,))}
        for number in sorted(before & failed):
            print(f"Optuna trial {number} of {study.study_name}: heartbeat stopped, marked FAIL and queued again")
            fixed += 1
    if args.stale_after is not None:
        for run in running_runs(client):
            silent = last_sign_of_life(client, run)
            if silent < args.stale_after * 60:
                continue
            print(f"MLflow run {run.info.run_id} ({run.info.run_name}): nothing logged for {silent / 60:.0f} min"
                  + (", would be marked FAILED" if args.dry_run else ", marking FAILED"))
            if args.dry_run:
                continue
            fixed += 1
            study_name, number = run.data.tags.get("optuna.study"), run.data.tags.get("optuna.trial")
            study = None
            if study_name is not None and number is not None:
                try:
                    study = optuna.load_study(study_name=study_name, storage=optuna_storage)
                except KeyError:  # a study of another storage
                    pass
            if study is None:  # a run of train.py, or of a study elsewhere
                client.set_tag(run.info.run_id, "status", "failed")
                client.set_terminated(run.info.run_id, status="FAILED")
                continue
            # The storage's own methods (BaseStorage, public): the trial by its number, then its state.
            trial_id = optuna_storage.get_trial_id_from_study_id_trial_number(
                optuna_storage.get_study_id_from_name(study_name), int(number))
            if optuna_storage.get_trial(trial_id).state == TrialState.RUNNING:
                optuna_storage.set_trial_state_values(trial_id, TrialState.FAIL)
                print(f"Optuna trial {number} of {study_name}: marked FAIL and queued again")
                stale_trial(study, optuna_storage.get_trial(trial_id))
            else:
                client.set_tag(run.info.run_id, "status", "failed")
                client.set_terminated(run.info.run_id, status="FAILED")
    print(f"{fixed} dangling runs and trials closed")


if __name__ == "__main__":
    main()
