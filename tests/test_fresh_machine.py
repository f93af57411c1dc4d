"""The README's two commands on a fresh machine: a copy of this checkout, an empty HOME, an empty
pip cache, no pip configuration of this machine's, and only what `make serve` installs (the site,
without the test or examples extras).

- `make site` creates the venv, installs the site and builds it strictly: nothing in the build
  may need a test-only or examples-only package, or a cache another checkout wrote. Commands of
  tools that are not installed (dvc, `jupyter notebook`...) are reported "not checked here" at
  info level, never as errors.
- `make serve` then serves the site; a page is fetched from it, and the server's process group
  is stopped.
- Verdicts per environment: one cache folder shared by this venv (which has `notebook`) and the
  fresh one (which has not) gives each its own verdict for `jupyter notebook`; installing
  `notebook` into the fresh venv then gives it a fresh, accepting verdict.

Marked `network` (it installs from PyPI, as a fresh machine does) and skipped, with the reason,
when the package index does not answer.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workshop_kit.blocks.shell import stop_process_group

pytestmark = pytest.mark.network
ROOT = Path(__file__).parents[1]
VERDICT = """
import json, sys
from workshop_kit.checks.commands import Verdicts
verdicts = Verdicts()
argv = ["jupyter", "notebook", "pokemon_classifier.ipynb"]
verdicts.fetch([argv])
found = verdicts.verdict(argv)
print(json.dumps({"refused": found.refused, "unchecked": found.unchecked, "severity": found.severity}))
"""


def _pypi_answers() -> bool:
    try:
        with urllib.request.urlopen("https://pypi.org/simple/pip/", timeout=15) as response:
            return response.status == 200
    except OSError:
        return False


def _fresh_env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "PYTEST_", "VIRTUAL_ENV", "XDG_", "WK_"))}
    env.update({"HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "PIP_CACHE_DIR": str(home / ".cache" / "pip"),
                "XDG_CACHE_HOME": str(home / ".cache"), "PYTHONDONTWRITEBYTECODE": "1"})
    return env


def _checkout_copy(target: Path) -> Path:
    """The files a clone of this checkout holds (tracked, and new ones Git would add), as they are now."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() or source.is_symlink():  # a symlink stays one (the notebook pages are)
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    return target


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs this checkout's Git repository to copy it as a clone would")
    if not _pypi_answers():
        pytest.skip("PyPI does not answer: a fresh machine's install cannot be tried here")
    base = tmp_path_factory.mktemp("fresh-machine")
    home = base / "home"
    home.mkdir()
    clone = _checkout_copy(base / "workshop-kit")
    env = _fresh_env(home)
    python = getattr(sys, "_base_executable", sys.executable)
    started = time.monotonic()
    done = subprocess.run(["make", "site", f"PYTHON={python}"], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=1800)
    return {"clone": clone, "home": home, "env": env, "python": python, "site": done,
            "seconds": time.monotonic() - started}


def test_make_site_builds_strictly_with_only_the_site_installed(fresh):
    done = fresh["site"]
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    venv = fresh["clone"] / ".venv"
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
                               capture_output=True, text=True, check=True).stdout
    names = {item["name"].lower() for item in json.loads(installed)}
    assert "mkdocs-material" in names and "workshop-kit" in names
    assert not names & {"dvc", "notebook", "mlflow", "pytest", "playwright"}, "the site install pulled extras"
    assert "WARNING" not in log, log[-4000:]
    assert "not checked here" in log and "install notebook" in log, "the commands it cannot check are said"
    assert (fresh["clone"] / "site" / "notebook-to-pipeline" / "handout" / "index.html").is_file()
    assert not (fresh["home"] / ".cache" / "workshop-kit" / "command-verdicts.json").exists()


def test_make_serve_serves_the_site(fresh):
    assert fresh["site"].returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["make", "serve", f"HOST=127.0.0.1:{port}", f"PYTHON={fresh['python']}"],
                              cwd=fresh["clone"], env=fresh["env"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, start_new_session=True)
    try:
        deadline, page = time.monotonic() + 300, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/notebook-to-pipeline/handout/",
                                            timeout=5) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(1)
        assert page is not None, "mkdocs serve never answered"
        assert "Récupérer le projet" in page and "notebook-to-pipeline-starter.zip" in page
    finally:
        stop_process_group(server, grace=30)


def _verdict(python: str, cache_home: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run([python, "-c", VERDICT], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_each_environment_gets_its_own_verdict(fresh, tmp_path):
    """One shared cache folder, two venvs: with `notebook` (this one) and without (the fresh one)."""
    assert fresh["site"].returncode == 0
    fresh_python = str(fresh["clone"] / ".venv" / "bin" / "python")
    without = _verdict(fresh_python, tmp_path)
    assert without["refused"] is None and without["severity"] == "info" and "install notebook" in without["unchecked"]
    pytest.importorskip("notebook", reason="this environment has no notebook to compare with")
    with_it = _verdict(sys.executable, tmp_path)
    assert with_it == {"refused": None, "unchecked": None, "severity": "info"}
    assert len(list((tmp_path / "workshop-kit").glob("command-verdicts-*.json"))) == 2
    # Installing notebook into the fresh venv: its next verdict is asked anew, and accepts.
    install = subprocess.run([fresh_python, "-m", "pip", "install", "-q", "-c", "constraints.txt", "notebook"],
                             cwd=fresh["clone"], env=fresh["env"], capture_output=True, text=True, timeout=1200)
    assert install.returncode == 0, install.stderr[-3000:]
    assert _verdict(fresh_python, tmp_path) == {"refused": None, "unchecked": None, "severity": "info"}
