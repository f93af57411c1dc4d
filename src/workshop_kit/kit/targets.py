"""The participants' machines a kit is made for, as pip names them, and a pip that evaluates
environment markers as the target's own pip would.

`--platform` and `--python-version` choose wheels, but pip evaluates environment markers
(`platform_system == "Windows"`, `python_version < "3.12"`) against the machine it runs on, so a
Windows-only dependency would be left out of a Windows bundle, and torch's Linux-only CUDA
packages asked for on macOS. `PIP_FOR_TARGET` sets packaging's marker environment to the target's
before pip starts. Used by `workshop bundle` (kit/bundle.py) and the platform-resolution test.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

PYPI = "https://pypi.org/simple"
PYTHONS = ("3.11", "3.12")
# name: (the --platform values, what a participant's machine is)
PLATFORMS = {
    # pip does not expand manylinux_2_X to older glibc versions by itself: list them.
    "linux-x86_64": ([f"manylinux_2_{minor}_x86_64" for minor in range(35, 16, -1)] + ["manylinux2014_x86_64"],
                     "Linux x86_64 with glibc 2.35 (Ubuntu 22.04) or newer"),
    # pip adds macOS 13 down to 11 and universal2; tensorflow 2.21 has no wheel for macOS 11.
    "macos-arm64": (["macosx_14_0_arm64"], "macOS 14 on Apple silicon"),
    "windows-x86_64": (["win_amd64"], "Windows x86_64"),
}
# The marker environment of each target (PEP 508 names).
TARGET_MARKERS = {
    "linux-x86_64": {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
                     "os_name": "posix"},
    "macos-arm64": {"sys_platform": "darwin", "platform_system": "Darwin", "platform_machine": "arm64",
                    "os_name": "posix"},
    "windows-x86_64": {"sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
                       "os_name": "nt"},
}

# Runs pip with packaging's marker environment set to the target's (WK_TARGET_MARKERS, JSON).
PIP_FOR_TARGET = """\
import json, os, sys
from pip._vendor.packaging import markers

_machine = markers.default_environment
_target = json.loads(os.environ["WK_TARGET_MARKERS"])


def default_environment():
    environment = _machine()
    environment.update(_target)
    return environment


markers.default_environment = default_environment
from pip._internal.cli.main import main

sys.exit(main())
"""


def target_markers(platform: str, python: str) -> dict[str, str]:
    return {**TARGET_MARKERS[platform], "python_version": python, "python_full_version": f"{python}.0",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "implementation_version": f"{python}.0"}


def platform_arguments(platform: str, python: str) -> list[str]:
    """Pip's options that choose the target's wheels (with `--only-binary=:all:`)."""
    return [*(f"--platform={tag}" for tag in PLATFORMS[platform][0]), f"--python-version={python}",
            "--implementation=cp", f"--abi=cp{python.replace('.', '')}", "--only-binary=:all:"]


def pip_environment(pythonpath: Path | None = None) -> dict[str, str]:
    """The environment without any pip configuration: the index given on the command line alone
    decides (no machine-wide find-links, index or constraint takes part)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    for keep in ("PIP_CERT", "PIP_CLIENT_CERT", "PIP_CACHE_DIR"):  # how to reach the index, not what it serves
        if keep in os.environ:
            env[keep] = os.environ[keep]
    env.update({"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    env.pop("PYTHONPATH", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
        env.pop("PYTHONDONTWRITEBYTECODE")
    return env


def pip_for_target(work: Path, platform: str, python: str, pythonpath: Path | None = None
                   ) -> tuple[list[str], dict[str, str]]:
    """The command that starts pip for the target (its wrapper written into `work`) and its
    environment."""
    wrapper = work / "pip_for_target.py"
    if not wrapper.is_file() or wrapper.read_text() != PIP_FOR_TARGET:
        work.mkdir(parents=True, exist_ok=True)
        wrapper.write_text(PIP_FOR_TARGET)
    env = pip_environment(pythonpath)
    env["WK_TARGET_MARKERS"] = json.dumps(target_markers(platform, python))
    return [sys.executable, str(wrapper)], env
