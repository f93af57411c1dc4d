"""Sharding the block sessions by workshop (CI's `blocks` jobs), and the incremental block cache.

The goals (site.yml's blocks jobs): the longest shard under 40 % of the unsharded block time, and
a one-page change re-tested in under 3 minutes of block time.

    python bench/shards.py                      # everything: about 40 minutes on 2 cores
    python bench/shards.py --reuse WORKDIR      # the model again from a kept cold run (seconds),
                                                # and the runs not done yet there

What it does, in a copy of the repository's files (tracked and untracked, not ignored: as a clone
has them, so that nothing generated in the working tree changes the cache keys):

1. cold: every block session and example tour of the site, once, on `-n 2`, with an empty block
   cache (`pytest -n 2 -m "workshop_blocks or example" docs examples --junitxml`); its wall time
   is the unsharded time, and the JUnit report gives every item's duration;
2. the model: the shards of `workshop blocks --format matrix`, each a CI job with its own 2 cores:
   its items' durations (measured two at a time, as a shard runs them) grouped by file (xdist's
   `--dist loadfile`) and spread over 2 workers, longest first;
3. validation: the longest shard run for real, cold, on `-n 2`, against its modelled time;
4. incremental, with the cache the cold run left: the shard of one handout run again unchanged,
   after a one-line edit of the handout's prose, then after a one-line edit of one of its code
   blocks (a comment line, which changes the session's key and nothing else).

Results go to bench/results/shards.md and shards.json. The machine is named, and the load average
before and after each run is recorded: another heavy process inflates every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).parents[1]
RESULTS = ROOT / "bench" / "results"
GOAL_SHARD, GOAL_PAGE = 0.40, 180.0  # the longest shard's share of the unsharded time; seconds of block time


def machine() -> dict:
    with open("/proc/meminfo") as info:
        total = next(int(line.split()[1]) for line in info if line.startswith("MemTotal:"))
    return {"machine": platform.machine(), "cores": len(os.sched_getaffinity(0)), "ram_gib": round(total / 2**20, 1),
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "system": platform.platform(terse=True)}


def load() -> float:
    return round(os.getloadavg()[0], 2)


# --- the copy --------------------------------------------------------------------------------

def copy_tree(target: Path) -> None:
    """The repository's files as a clone has them, with the working tree's edits."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            (target / name).symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target / name)


# --- pytest ----------------------------------------------------------------------------------

def pytest_options(tree: Path) -> dict:
    """The plugin's names of the day: the cache option, and whether the block marker exists."""
    help_text = subprocess.run([sys.executable, "-m", "pytest", "--help"], cwd=tree, capture_output=True,
                               text=True).stdout
    markers = subprocess.run([sys.executable, "-m", "pytest", "--markers"], cwd=tree, capture_output=True,
                             text=True).stdout
    cache = "--workshop-cache-dir" if "--workshop-cache-dir" in help_text else "--block-cache-dir"
    return {"cache": cache, "marker": "@pytest.mark.workshop_blocks" in markers}


def run_pytest(tree: Path, paths: list[str], junit: Path, cache: Path, options: dict, *, workers: int,
               blocks_only: bool = False) -> dict:
    selection = ("workshop_blocks" if blocks_only else "workshop_blocks or example") if options["marker"] else None
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(workers),
               f"--junitxml={junit}", f"{options['cache']}={cache}", *(["-m", selection] if selection else []), *paths]
    before, start = load(), time.perf_counter()
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True)
    wall = time.perf_counter() - start
    tail = done.stdout.strip().splitlines()[-1:] or [""]
    print(f"  {wall:7.1f} s  exit {done.returncode}  {' '.join(command[3:])}\n           {tail[0]}", flush=True)
    (junit.with_suffix(".log")).write_text(done.stdout + done.stderr)
    shown = shlex.join(["python"] + command[1:]).replace(str(junit.parent), "WORK")
    return {"command": shown, "wall": round(wall, 1),
            "exit": done.returncode, "load_before": before, "load_after": load(), "outcome": tail[0]}


def items(junit: Path) -> list[dict]:
    """Every item of a JUnit report: its class name (the file, dotted), name, seconds, outcome."""
    result = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        outcome = next((tag for tag in ("failure", "error", "skipped") if case.find(tag) is not None), "passed")
        kind = next((p.get("value") for p in case.iter("property") if p.get("name") == "wk_kind"), None)
        result.append({"file": case.get("classname") or case.get("name"), "name": case.get("name"),
                       "seconds": float(case.get("time") or 0), "outcome": outcome,
                       "session": kind == "session" or (kind is None and case.get("name", "").startswith("session["))})
    return result


# --- the model -------------------------------------------------------------------------------

def matrix(tree: Path) -> list[dict]:
    sys.path.insert(0, str(ROOT / "src"))
    from workshop_kit.cli import main

    with contextlib.redirect_stdout(io.StringIO()) as out:
        if main(["blocks", "--format", "matrix", "-f", str(tree / "mkdocs.yml")]) != 0:
            raise SystemExit("workshop blocks --format matrix failed")
    return json.loads(out.getvalue())["include"]


def shard_of(entries: list[dict], file: str) -> str | None:
    for entry in entries:
        for path in entry["paths"].split():
            dotted = path.replace("/", ".")
            if file == dotted or file.startswith(dotted + "."):
                return entry["workshop"]
    return None


def makespan(groups: list[float], workers: int) -> float:
    """Longest processing time first: what xdist's loadfile does at best with whole files."""
    loads = [0.0] * workers
    for seconds in sorted(groups, reverse=True):
        loads[loads.index(min(loads))] += seconds
    return max(loads)


def model(entries: list[dict], cold: list[dict], workers: int, *, sessions_apart: bool = False) -> list[dict]:
    """Each shard's wall time on `workers` workers. `sessions_apart`: the sessions of one page may
    run at once (`--dist load`), instead of a file's items on one worker (`--dist loadfile`)."""
    shards = []
    for entry in entries:
        mine = [item for item in cold if shard_of(entries, item["file"]) == entry["workshop"]]
        files: dict[str, float] = {}
        for item in mine:
            key = item["file"] if item["session"] or item["file"].startswith("docs.") else \
                re.sub(r"\.Test[A-Za-z0-9_]*$", "", item["file"])  # a test class's module
            if sessions_apart and item["session"]:
                key += "::" + item["name"]
            files[key] = files.get(key, 0.0) + item["seconds"]
        sessions = [item for item in mine if item["session"]]
        shards.append({"workshop": entry["workshop"], "paths": entry["paths"],
                       "sessions": len(sessions), "session_seconds": round(sum(i["seconds"] for i in sessions), 1),
                       "example_seconds": round(sum(i["seconds"] for i in mine if not i["session"]), 1),
                       "longest_file": round(max(files.values(), default=0), 1),
                       "longest_file_name": max(files, key=files.get, default=""),
                       "modelled_wall": round(makespan(list(files.values()), workers), 1),
                       "blocks_only_wall": round(makespan(
                           [s for f, s in files.items() if f.startswith("docs.")], workers), 1)})
    return shards


def tours_with_workshops(tree: Path, entries: list[dict]) -> list[dict]:
    """The layout not taken: each project's tours in the shard of a workshop whose pages run in it
    (the one running the fewest of its blocks, to spread the load)."""
    from workshop_kit.cli.blocks import list_blocks

    use: dict[str, dict[str, int]] = {}
    for row in list_blocks(tree):
        if row["status"] == "run" and row["page"].count("/") > 1:
            counts = use.setdefault(row["project"], {})
            counts[row["page"].split("/")[1]] = counts.get(row["page"].split("/")[1], 0) + 1
    merged = {e["workshop"]: dict(e) for e in entries if not e["workshop"].startswith("examples-")}
    for entry in entries:
        project = entry["workshop"].removeprefix("examples-")
        if not entry["workshop"].startswith("examples-"):
            continue
        users = use.get(project)
        if users:
            owner = min(users, key=lambda name: (users[name], name))
            merged[owner]["paths"] += " " + entry["paths"]
        else:
            merged[entry["workshop"]] = dict(entry)
    return list(merged.values())


def alternatives(tree: Path, entries: list[dict], cold: list[dict], workers: int) -> list[dict]:
    sessions = [item for item in cold if item["session"]]
    by_file: dict[str, float] = {}
    for item in sessions:
        by_file[item["file"]] = by_file.get(item["file"], 0.0) + item["seconds"]
    rows = []
    for label, layout, apart in [
            ("tours with the workshop whose pages use them (the one running the fewest of their blocks)",
             tours_with_workshops(tree, entries), False),
            ("as taken, the block shards with `--dist load` (a page's sessions may run at once)", entries, True)]:
        modelled = model(layout, cold, workers, sessions_apart=apart)
        longest = max(modelled, key=lambda s: s["modelled_wall"])
        rows.append({"layout": label, "longest": longest["workshop"], "longest_paths": longest["paths"],
                     "modelled_wall": longest["modelled_wall"]})
    return rows, round(makespan(list(by_file.values()), workers), 1)


# --- the incremental runs ----------------------------------------------------------------------

def prose_edit(text: str) -> str:
    """One line of prose changed: the first plain paragraph line outside front matter and fences."""
    lines, fence, front = text.splitlines(keepends=True), None, text.startswith("---\n")
    for number, line in enumerate(lines):
        stripped = line.strip()
        if front:
            front = not (number > 0 and stripped == "---")
            continue
        if re.match(r"(`{3,}|~{3,})", stripped):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence is None and re.match(r"[A-Za-z]", stripped) and len(stripped) > 40:
            lines[number] = line.rstrip("\n") + " (Edited by bench/shards.py.)\n"
            return "".join(lines)
    raise SystemExit("no prose line found to edit")


def block_edit(text: str) -> str:
    """One line added to the first bash or console block the tests run (no skip=): a comment (a
    `$ # ...` step without output in a console block), which changes the session's key, so that
    the session runs again, and nothing of what it does."""
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        match = re.match(r"(\s*)```(bash|console)\s*$", line)
        if match:
            comment = "# edited by bench/shards.py" if match.group(2) == "bash" else "$ # edited by bench/shards.py"
            lines.insert(number + 1, f"{match.group(1)}{comment}\n")
            return "".join(lines)
    raise SystemExit("no ```bash or ```console block without options found to edit")


def incremental(tree: Path, work: Path, cache: Path, page: str, entries: list[dict], options: dict,
                workers: int) -> list[dict]:
    name = shard_of(entries, page.replace("/", "."))
    shard = next(entry for entry in entries if entry["workshop"] == name)
    paths = [p for p in shard["paths"].split() if p.startswith("docs")]
    source = tree / page
    original = source.read_text(encoding="utf-8")
    runs = []
    for label, change in [("unchanged", None), ("one line of prose edited", prose_edit),
                          ("one line of a code block edited", block_edit)]:
        print(f"incremental, {label}: {page}", flush=True)
        if change is not None:
            source.write_text(change(original), encoding="utf-8")
        try:
            junit = work / f"incremental-{len(runs)}.xml"
            run = run_pytest(tree, paths, junit, cache, options, workers=workers, blocks_only=True)
        finally:
            source.write_text(original, encoding="utf-8")
        ran = [item for item in items(junit) if item["session"] and item["outcome"] != "skipped"]
        runs.append({"change": label, "page": page, "shard": shard["workshop"], **run, "sessions_run": len(ran),
                     "block_seconds": round(sum(item["seconds"] for item in ran), 1)})
    return runs


# --- the report --------------------------------------------------------------------------------

def minutes(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m} min {s:02d} s" if m else f"{s} s"


def write(results: dict) -> None:
    (RESULTS / "shards.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    m, cold = results["machine"], results["cold"]
    shards = sorted(results["shards"], key=lambda s: -s["modelled_wall"])
    whole, longest = cold["wall"], shards[0]
    lines = [
        "# Block shards and the incremental block cache",
        "",
        f"Measured {results['date']} with `python bench/shards.py` on {m['machine']}, {m['cores']} cores, "
        f"{m['ram_gib']} GiB RAM, {m['python']} ({m['system']}). Load average (1 min) before → after each run "
        "is given: the machine is shared, and another heavy process inflates every figure.",
        "",
        "## Unsharded: every session and example tour, cold, `-n 2`",
        "",
        f"`{cold['command']}`",
        "",
        f"Wall time **{minutes(whole)}** ({cold['outcome']}); load {cold['load_before']} → {cold['load_after']}. "
        f"Sum of the items' durations: {minutes(results['cold_sum'])} (sessions {minutes(results['cold_sessions'])}, "
        f"example tours {minutes(results['cold_examples'])}), measured two at a time on the 2 cores.",
        "",
        "## Sharded as `workshop blocks --format matrix` says: each shard a job with its own 2 cores (`-n 2`)",
        "",
        "Modelled time: the shard's items, grouped by file (`--dist loadfile`), spread over 2 workers, longest "
        "first. The durations were measured two at a time on 2 cores, as a shard runs them.",
        "",
        "| shard | sessions | session time | example tours | longest file | modelled wall | share of unsharded |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in shards:
        lines.append(f"| {s['workshop']} | {s['sessions']} | {minutes(s['session_seconds'])} | "
                     f"{minutes(s['example_seconds'])} | {minutes(s['longest_file'])} | "
                     f"{minutes(s['modelled_wall'])} | "
                     f"{s['modelled_wall'] / whole:.0%} |")
    share = longest["modelled_wall"] / whole
    lines += ["", f"Longest shard: **{longest['workshop']}**, {minutes(longest['modelled_wall'])} modelled, "
                  f"**{share:.0%}** of the unsharded {minutes(whole)} (goal: under {GOAL_SHARD:.0%}: "
                  f"{'met' if share < GOAL_SHARD else 'NOT met'}). The shards together run exactly the items "
                  "of the unsharded run."]
    blocks = [s for s in shards if s["sessions"]]
    worst = max(blocks, key=lambda s: s["modelled_wall"])
    alone = results["sessions_unsharded_model"]
    bound = [i for i in results["session_durations"] if i["file"].replace("/", ".") == worst["longest_file_name"]]
    if len(bound) > 1:
        each = ", ".join(f"{i['name']} {i['seconds']:.0f} s" for i in bound)
        why = (f"`{bound[0]['file']}` holds {len(bound)} sessions ({each}), which `--dist loadfile` runs one "
               "after the other on one worker.")
    else:
        why = f"its longest file, {minutes(worst['longest_file'])}."
    lines += ["", f"Block sessions alone (the tours aside): unsharded, modelled {minutes(alone)} on 2 workers; the "
                  f"longest workshop shard, {worst['workshop']}, {minutes(worst['modelled_wall'])}: "
                  f"{worst['modelled_wall'] / alone:.0%} of it. What bounds it: {why}"]
    lines += ["", "Other layouts, modelled from the same durations:", "",
              "| layout | longest shard | modelled wall | share of unsharded |", "| --- | --- | --- | --- |"]
    for alt in results["alternatives"]:
        lines.append(f"| {alt['layout']} | {alt['longest']} (`{alt['longest_paths']}`) | "
                     f"{minutes(alt['modelled_wall'])} | {alt['modelled_wall'] / whole:.0%} |")
    for check in results.get("validation", []):
        lines += ["", f"Validation, the {check['shard']} shard run for real, cold: `{check['command']}`: "
                      f"**{minutes(check['wall'])}** ({check['outcome']}; load {check['load_before']} → "
                      f"{check['load_after']}), modelled {minutes(check['modelled'])} "
                      f"({(check['wall'] - check['modelled']) / check['modelled']:+.0%}); "
                      f"{check['wall'] / whole:.0%} of the unsharded time."]
    if results.get("incremental"):
        lines += ["", "## One page changed, warm cache (the cold run's), the page's shard, block sessions only", "",
                  "| change | sessions run | block time | wall time (collection included) | load |",
                  "| --- | --- | --- | --- | --- |"]
        for run in results["incremental"]:
            lines.append(f"| {run['change']} (`{run['page']}`) | {run['sessions_run']} | "
                         f"{minutes(run['block_seconds'])} | "
                         f"{minutes(run['wall'])} | {run['load_before']} → {run['load_after']} |")
        worst = max(results["incremental"], key=lambda r: r["block_seconds"])
        longest_session = max(results["session_durations"], key=lambda s: s["seconds"])
        lines += ["", f"A prose edit runs no session: the cache keys cover the blocks, the example project and the "
                      f"pins, not the prose. An edited block runs its page's session again, and only it: "
                      f"{minutes(worst['block_seconds'])} of block time here (goal: under {minutes(GOAL_PAGE)}: "
                      f"{'met' if worst['block_seconds'] < GOAL_PAGE else 'NOT met'}). The worst case is the site's "
                      f"longest session, `{longest_session['file']}` ({longest_session['name']}): "
                      f"{minutes(longest_session['seconds'])} cold."]
    if results.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in results["notes"]]
    lines += ["", "## Every session, cold", "", "| page | session | seconds | outcome |", "| --- | --- | --- | --- |"]
    for s in sorted(results["session_durations"], key=lambda s: -s["seconds"]):
        lines.append(f"| {s['file']} | {s['name']} | {s['seconds']:.0f} | {s['outcome']} |")
    (RESULTS / "shards.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", type=Path, metavar="WORKDIR",
                        help="a work folder of an earlier run: its copy, cold report and cache are used again")
    parser.add_argument("--workers", type=int, default=2, help="xdist workers of every run (default: 2, as a CI job)")
    parser.add_argument("--validate", action="append", metavar="SHARD",
                        help="a shard to run for real, cold (default: the longest modelled one); 'none' for none")
    parser.add_argument("--page", default="docs/gitops-dvc/handout.md", help="the page of the incremental runs")
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--note", action="append", default=[], help="a line for the results' notes (the load, ...)")
    args = parser.parse_args()

    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench-shards-"))
    tree, cache, cold_junit = work / "tree", work / "cache", work / "cold.xml"
    stored = json.loads((work / "runs.json").read_text()) if (work / "runs.json").is_file() else {}
    if not tree.is_dir():
        print(f"copying the repository to {tree}", flush=True)
        copy_tree(tree)
    options = pytest_options(tree)
    print(f"work folder {work} (reuse it with --reuse); pytest options {options}", flush=True)
    entries = matrix(tree)
    if "cold" not in stored or not cold_junit.is_file():
        shutil.rmtree(cache, ignore_errors=True)
        print("cold run of every session and example tour", flush=True)
        stored["cold"] = run_pytest(tree, ["docs", "examples"], cold_junit, cache, options, workers=args.workers)
        stored.pop("incremental", None)  # its warm cache was the previous cold run's
        (work / "runs.json").write_text(json.dumps(stored, indent=2))
    cold = items(cold_junit)
    shards = model(entries, cold, args.workers)
    validations = stored.setdefault("validation", {})
    wanted = args.validate or [max(shards, key=lambda s: s["modelled_wall"])["workshop"]]
    for name in [w for w in wanted if w != "none" and w not in validations]:
        shard = next(s for s in shards if s["workshop"] == name)
        print(f"validation: the {name} shard, cold", flush=True)
        fresh = work / f"cache-{name}"
        shutil.rmtree(fresh, ignore_errors=True)
        run = run_pytest(tree, shard["paths"].split(), work / f"shard-{name}.xml", fresh, options, workers=args.workers)
        validations[name] = {"shard": name, **run, "modelled": shard["modelled_wall"]}
        (work / "runs.json").write_text(json.dumps(stored, indent=2))
    if not args.no_incremental and "incremental" not in stored:
        stored["incremental"] = incremental(tree, work, cache, args.page, entries, options, args.workers)
    (work / "runs.json").write_text(json.dumps(stored, indent=2))
    alts, sessions_alone = alternatives(tree, entries, cold, args.workers)
    pages = {str(path.relative_to(tree)).replace("/", "."): path.relative_to(tree).as_posix()
             for path in (tree / "docs").rglob("*") if path.is_file()}  # JUnit's class name -> the page
    results = {"date": f"{datetime.now(UTC):%Y-%m-%d}", "machine": machine(), "options": options,
               "matrix": entries, "cold": stored["cold"],
               "cold_sum": round(sum(i["seconds"] for i in cold), 1),
               "cold_sessions": round(sum(i["seconds"] for i in cold if i["session"]), 1),
               "cold_examples": round(sum(i["seconds"] for i in cold if not i["session"]), 1),
               "shards": shards, "validation": [validations[n] for n in wanted if n in validations],
               "alternatives": alts, "sessions_unsharded_model": sessions_alone,
               "incremental": stored.get("incremental", []),
               "session_durations": [{"file": pages.get(i["file"], i["file"]),
                                      **{k: i[k] for k in ("name", "seconds", "outcome")}}
                                     for i in cold if i["session"]],
               "notes": args.note, "work": str(work)}
    write(results)


if __name__ == "__main__":
    main()
