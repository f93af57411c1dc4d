"""Two ways to put Prefect around the DVC pipeline.

- `dvc_pipeline`: Prefect runs `dvc repro` as one task, retried once if it fails; DVC still
  decides which stages run (and skips unchanged ones).
- `stage_dag`: Prefect owns the stage DAG: one task per stage, calling the stages' functions,
  with Prefect's own dependencies between them. No DVC caching: every stage runs.

Both run without a Prefect server: Prefect starts a temporary local API for the run.
Run them from the project folder: Prefect reads `prefect.toml` from the folder it runs in.

    python flows.py dvc-pipeline
    python flows.py stage-dag
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

# Prefect waits 20 s for its temporary server by default; a laptop still busy installing, or a
# 2-core CI machine running other tests, can take longer, and the flow would fail before it starts.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# No anonymous usage reports from Prefect's library, nor its first-run notice about them; the
# temporary server's own reports are switched off in `prefect.toml`, read from the project folder.
# Offline, Prefect would otherwise print "Failed to send telemetry".
os.environ.setdefault("DO_NOT_TRACK", "1")

from prefect import flow, task  # noqa: E402 - reads the settings above when imported

sys.path.insert(0, str(Path(__file__).parent / "src"))

from evaluate import evaluate  # noqa: E402 - the stages live in src/, as DVC runs them
from prepare import prepare  # noqa: E402
from train import train  # noqa: E402


@task(retries=1, retry_delay_seconds=1)
def dvc_repro() -> str:
    done = subprocess.run(["dvc", "repro"], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"dvc repro failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@flow(name="dvc-pipeline")
def dvc_pipeline() -> str:
    return dvc_repro()


@task
def prepare_task(params: dict) -> Path:
    prepare(params["prepare"], Path("data/prepared"))
    return Path("data/prepared")


@task
def train_task(params: dict, data: Path) -> Path:
    train(params["train"], data, Path("models/model.pkl"))
    return Path("models/model.pkl")


@task
def evaluate_task(data: Path, model: Path) -> dict:
    return evaluate(data, model, Path("metrics.json"))


@flow(name="stage-dag")
def stage_dag() -> dict:
    params = yaml.safe_load(Path("params.yaml").read_text())
    data = prepare_task(params)
    model = train_task(params, data)
    return evaluate_task(data, model)


if __name__ == "__main__":
    flows = {"dvc-pipeline": dvc_pipeline, "stage-dag": stage_dag}
    if len(sys.argv) != 2 or sys.argv[1] not in flows:
        raise SystemExit(f"usage: python flows.py {{{'|'.join(flows)}}}")
    print(flows[sys.argv[1]]())
