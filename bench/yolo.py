"""What the YOLOv8 workshop costs: installing its requirements, and training it on the CPU.

    python bench/yolo.py            # about 5 minutes and 7 GB of disk, freed at the end

A fresh virtual environment gets `examples/rock-paper-scissors/requirements.txt` with pip and
constraints.txt, as `make test` and the handout's session do; the figures are the wall time, the
size of the environment, and the share of it that PyTorch and NVIDIA's CUDA libraries take (on
Linux x86_64 PyPI's torch is the CUDA build). Then the handout's steps, timed: the data, 20 epochs
of YOLOv8n from yolov8n.yaml at 128 pixels on the CPU, the TorchScript export. Figures go to
bench/results/yolo.md with the machine named; `bench_yolo()` gives bench/run.py's row.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).parents[1]
PROJECT = ROOT / "examples" / "rock-paper-scissors"
RESULTS = ROOT / "bench" / "results" / "yolo.md"
HEAVY = ("torch", "nvidia", "triton", "cuda", "torchvision")


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def timed(command: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return time.perf_counter() - start


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
            f"{len(os.sched_getaffinity(0))} cores, {memory:.0f} GiB")


def measure() -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-yolo-"))
    try:
        venv = work / ".venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        install = timed([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c",
                         str(ROOT / "constraints.txt"), "-r", str(PROJECT / "requirements.txt")], work)
        site = next((venv / "lib").glob("python3*/site-packages"))
        total = size(venv)
        heavy = sum(size(p) for p in site.iterdir() if p.is_dir() and p.name.lower().startswith(HEAVY))
        project = work / "project"
        shutil.copytree(PROJECT, project,
                        ignore=shutil.ignore_patterns("tests", "data", "model", "runs", "__pycache__"))
        env = dict(os.environ, NB_OF_EPOCHS="20", PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
        data = timed([python, "generate_data.py"], project, env)
        train = timed([python, "train.py"], project, env)
        return {"install": install, "size": total, "heavy": heavy, "data": data, "train": train}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write(figures: dict) -> str:
    day = f"{datetime.now(UTC):%Y-%m-%d}"
    summary = (f"install {figures['install']:.0f} s, {figures['size'] / 2**30:.1f} GB "
               f"({figures['heavy'] / 2**30:.1f} GB PyTorch and CUDA); data {figures['data']:.0f} s, "
               f"20 epochs + export {figures['train']:.0f} s")
    RESULTS.write_text("\n".join([
        "# The YOLOv8 workshop's cost", "",
        f"Measured {day} on {machine()}, by `python bench/yolo.py`.", "",
        "| Step | Figure |", "| --- | --- |",
        f"| `pip install -r requirements.txt` (constraints.txt; wheels from the local pip cache and this "
        f"machine's disk) | {figures['install']:.0f} s |",
        f"| virtual environment | {figures['size'] / 2**30:.2f} GB |",
        f"| of which torch, torchvision, triton and NVIDIA's CUDA libraries | {figures['heavy'] / 2**30:.2f} GB |",
        f"| `python generate_data.py` | {figures['data']:.1f} s |",
        f"| `NB_OF_EPOCHS=20 python train.py` (YOLOv8n from yolov8n.yaml, 128 px, CPU, then TorchScript) "
        f"| {figures['train']:.0f} s |", "",
        "On Linux x86_64 PyPI's torch is the CUDA build: NVIDIA's libraries are most of the size, and of no use "
        "without an NVIDIA GPU. A laptop without one installs PyTorch's CPU build from PyTorch's own index first "
        "(the handout says how); CI cannot reach that index and takes PyPI's build. macOS and Windows get "
        "CPU builds from PyPI (tests/test_platform_resolution.py).", ""]))
    return summary


def bench_yolo() -> tuple[str, str]:
    """bench/run.py's row."""
    return "rock/paper/scissors: YOLOv8 install and training", write(measure())


if __name__ == "__main__":
    print(bench_yolo()[1])
    print(f"written to {RESULTS}")
