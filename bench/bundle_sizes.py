"""How big an offline room's bundle is, per workshop and target: the wheels each example project's
requirements resolve to (what `workshop bundle` downloads), their sizes from PyPI's JSON index.

    python -m pytest tests/test_platform_resolution.py    # resolves every example x target (cached a day)
    python bench/bundle_sizes.py                           # sizes of those resolutions

Reads the resolutions the platform-resolution test remembered in pytest's cache (it refuses
entries older than a day, as the test does) and asks PyPI's simple index, in its JSON form
(PEP 691, sizes per PEP 700), for each chosen file's size: one request per package. Writes
bench/results/bundle-sizes.md.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from workshop_kit.kit.config import kits_from_config  # noqa: E402
from workshop_kit.kit.targets import PLATFORMS, PYTHONS  # noqa: E402
from workshop_kit.site_config import load_config  # noqa: E402

CACHE = ROOT / ".pytest_cache" / "v" / "workshop-platforms"
RESULTS = ROOT / "bench" / "results" / "bundle-sizes.md"
SIMPLE = "https://pypi.org/simple/{name}/"
MAX_AGE = 24 * 3600


def remembered() -> dict[tuple[str, str, str], dict[str, tuple[str, str]]]:
    """(example, platform, python) -> installs, from the platform test's cache."""
    found = {}
    for path in sorted(CACHE.glob("*")) if CACHE.is_dir() else []:
        data = json.loads(path.read_text())
        if time.time() - data.get("at", 0) > MAX_AGE:
            continue
        for platform in PLATFORMS:
            for python in PYTHONS:
                marker = f"-{platform}-{python}-"
                if marker in path.name:
                    example = path.name.split(marker)[0]
                    found[(example, platform, python)] = {name: tuple(v) for name, v in data["installs"].items()}
    return found


def file_sizes(name: str) -> dict[str, int]:
    request = urllib.request.Request(SIMPLE.format(name=name),
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return {entry["filename"]: entry.get("size") or 0 for entry in json.load(answer)["files"]}


def main() -> None:
    resolutions = remembered()
    if not resolutions:
        raise SystemExit(f"no resolution younger than a day in {CACHE}: run "
                         "`python -m pytest tests/test_platform_resolution.py` first")
    names = sorted({name for installs in resolutions.values() for name in installs})
    with ThreadPoolExecutor(max_workers=8) as pool:
        sizes = dict(zip(names, pool.map(file_sizes, names), strict=False))
    kits = kits_from_config(load_config(ROOT / "mkdocs.yml"))
    workshops = defaultdict(list)
    for kit in kits.values():
        workshops[kit.project].append(kit.workshop)
    lines = [
        "# Offline bundle sizes",
        "",
        f"Measured {date.today().isoformat()} by `python bench/bundle_sizes.py`: the wheels each example's "
        "requirements resolve to (pip's resolver against PyPI, wheels only, the target's platform, Python and "
        "markers; the platform-resolution test's resolutions), sized by PyPI's JSON index. The site and the kits' "
        "zips add a few MB. A bundle for several targets shares its pure-Python wheels.",
        "",
        "| Example (workshops) | Target | Wheels | MB | Largest |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for (example, platform, python), installs in sorted(resolutions.items()):
        files = [(sizes[name].get(filename, 0), filename) for name, (_, filename) in installs.items()]
        total = sum(size for size, _ in files)
        largest = max(files)[1] if files else "-"
        label = f"{example} ({', '.join(sorted(workshops.get(example, []))) or 'no kit'})"
        lines.append(f"| {label} | {platform}, Python {python} | {len(files)} | {total / 1e6:.0f} | {largest} |")
    RESULTS.write_text("\n".join(lines) + "\n")
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
