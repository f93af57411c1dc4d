"""The pages' code blocks: cold vs warm (pass cache), and what two xdist workers buy."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from common import ROOT

# Four sessions of different lengths, about two minutes in a row: enough to see the speed-up.
SUBSET = ["docs/ml-tooling-day/projects.md", "docs/gitops-dvc/speaker-guide.md",
          "docs/half-day-lab/notebook-3-training-and-tuning.ipynb",
          "docs/half-day-lab/notebook-4-operationalisation.ipynb"]


def run_blocks(paths: list[str], *options: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider", *options],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stdout[-3000:])
    return time.perf_counter() - start


def bench_blocks() -> tuple[str, str]:
    """Every block of the site, cold (an empty pass cache, as on a clean clone), then warm (unchanged site)."""
    with tempfile.TemporaryDirectory() as cache:
        cold = run_blocks(["docs"], "-n", "auto", "--workshop-cache-dir", cache)
        warm = run_blocks(["docs"], "-n", "auto", "--workshop-cache-dir", cache)
    return "all block sessions of the site, `-n auto`", f"cold {cold:.0f} s, warm {warm:.1f} s (target under 10 s)"


def bench_xdist() -> tuple[str, str]:
    """Four sessions, cold, on one worker and on two."""
    one = run_blocks(SUBSET, "-n", "1", "--workshop-no-cache")
    two = run_blocks(SUBSET, "-n", "2", "--workshop-no-cache")
    return "xdist speed-up, four block sessions cold", f"x{one / two:.2f} ({one:.0f} s on 1 worker, {two:.0f} s on 2)"
