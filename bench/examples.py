"""The example projects' own pipelines (issue target: pokemon-dvc `dvc repro` under 60 s here)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common import ROOT, median


def bench_pokemon_repro() -> tuple[str, str]:
    """examples/pokemon-dvc: `dvc repro` of the four stages from scratch, default data size (300 sprites)."""
    from workshop_kit.example_project import ExampleProject

    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as root:
            project = ExampleProject(ROOT / "examples" / "pokemon-dvc", Path(root))
            project.run("bash scripts/as_workshop_clone.sh --with-dvc")
            project.run("python scripts/generate_data.py --output data/external && dvc add -q data/external")
            start = time.perf_counter()
            project.run("dvc repro -q")
            times.append(time.perf_counter() - start)
    return "pokemon-dvc `dvc repro`, four stages from scratch", f"median {median(times):.1f} s over 3 runs"
