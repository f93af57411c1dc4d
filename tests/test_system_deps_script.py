"""`make test` installs Debian's chromium when missing (scripts/install-system-deps.sh); as a
non-root user it goes through sudo, and says so before sudo asks for a password."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "install-system-deps.sh"


def run(tmp_path: Path, uid: str, installed: bool) -> subprocess.CompletedProcess:
    """The script with stand-ins for id, dpkg-query, sudo and apt-get that record their calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    stubs = {
        "id": f'echo {uid}',
        "dpkg-query": 'echo "install ok installed"' if installed else "exit 1",
        "sudo": f'echo "sudo $*" >> {log}; "$@"',
        "apt-get": f'echo "apt-get $*" >> {log}',
    }
    for name, body in stubs.items():
        (bin_dir / name).write_text(f"#!/bin/bash\n{body}\n")
        (bin_dir / name).chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60)
    done.calls = log.read_text() if log.exists() else ""
    return done


def test_a_user_is_told_about_sudo_before_it_asks(tmp_path):
    done = run(tmp_path, "1000", installed=False)
    assert done.returncode == 0, done.stderr
    assert "through sudo, which may ask for your password" in done.stdout
    assert done.calls.startswith("sudo apt-get update")
    assert "apt-get install -y -q --no-install-recommends chromium git curl poppler-utils" in done.calls


def test_root_installs_without_sudo(tmp_path):
    done = run(tmp_path, "0", installed=False)
    assert "sudo" not in done.stdout and "sudo" not in done.calls
    assert "apt-get install" in done.calls


def test_nothing_happens_when_everything_is_installed(tmp_path):
    done = run(tmp_path, "1000", installed=True)
    assert done.returncode == 0 and done.stdout == "" and done.calls == ""
