"""check.py: tells a participant whether each step of a handout worked, on their own laptop.

Shipped in the starter zip beside `workshop-checks.json` (what each step must leave in the
project, written by the site's build from the handout). It needs nothing but the standard
library of the Python that created the project's virtual environment, and runs the same on
Linux, macOS and Windows:

    python check.py             every step done so far, up to the first that is not
    python check.py 3           step 3 alone
    python check.py --lang fr   in French (the French page's copy buttons give it)
    python check.py --room http://ROOM:8765 --seat 12 ...   also tell the speaker's room server

The room server receives only the kit, the step, the check's id, the result, the seat and the
language: never a file's content or a path. A room that does not answer changes nothing here.

This file is copied into participants' projects as it is: it imports nothing from workshop_kit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

SPEC_NAME = "workshop-checks.json"
RUN_TIMEOUT = 120  # seconds for one command of a check
ROOM_TIMEOUT = 3

TEXT = {
    "en": {
        "step": "Step {number}/{total}",
        "colon": ": ",
        "see": "see {url}",
        "missing": "{path} does not exist yet",
        "not_file": "{path} is not a file",
        "lacks_text": "{path} does not contain “{text}”",
        "lacks_key": "{path} has no key `{key}`",
        "unreadable": "{path} cannot be read as {kind}: {error}",
        "exit": "`{command}` exited with {code} (expected {expected})",
        "not_found": "`{program}` is not found: is the project's virtual environment active?",
        "timeout": "`{command}` did not finish within {seconds} s",
        "prints": "`{command}` did not print “{pattern}”",
        "not_empty": "`{command}` printed something where nothing was expected: {first}",
        "url": "{url} does not answer ({error})",
        "url_status": "{url} answered {status} (expected {expected})",
        "python": "{script}: {message}",
        "all_done": "All {total} steps done.",
        "room_failed": "(the room server at {room} did not take the result: {error})",
        "no_spec": "{spec} is missing: run check.py from the project folder the handout gave you",
        "no_step": "there is no step {number}: this handout has steps 1 to {total}",
    },
    "fr": {
        "step": "Étape {number}/{total}",
        "colon": " : ",
        "see": "voir {url}",
        "missing": "{path} n'existe pas encore",
        "not_file": "{path} n'est pas un fichier",
        "lacks_text": "{path} ne contient pas « {text} »",
        "lacks_key": "{path} n'a pas de clé `{key}`",
        "unreadable": "{path} ne se lit pas comme du {kind} : {error}",
        "exit": "`{command}` s'est terminé avec le code {code} ({expected} attendu)",
        "not_found": "`{program}` est introuvable : l'environnement virtuel du projet est-il activé ?",
        "timeout": "`{command}` ne s'est pas terminé en {seconds} s",
        "prints": "`{command}` n'a pas affiché « {pattern} »",
        "not_empty": "`{command}` a affiché quelque chose alors que rien n'était attendu : {first}",
        "url": "{url} ne répond pas ({error})",
        "url_status": "{url} a répondu {status} ({expected} attendu)",
        "python": "{script} : {message}",
        "all_done": "Les {total} étapes sont faites.",
        "room_failed": "(le serveur de salle {room} n'a pas reçu le résultat : {error})",
        "no_spec": "{spec} est introuvable : lancez check.py depuis le dossier du projet donné par la fiche",
        "no_step": "il n'y a pas d'étape {number} : cette fiche a les étapes 1 à {total}",
    },
}


class Failed(Exception):
    """One condition of a step that does not hold; the message is in the participant's language."""


def inside(root: Path, relative: str) -> Path:
    """`relative` under the project folder; never outside it (the build refuses such a check)."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"{relative} is outside the project")
    return path


# --- Reading keys -------------------------------------------------------------------------

_YAML_KEY = re.compile(r"""^(?P<indent>[ ]*)(?:-[ ]+)?(?P<key>"[^"]*"|'[^']*'|[^\s#'"\-][^:#]*?)[ ]*:(?:[ ]|$)""")


def yaml_keys(text: str) -> set[str]:
    """The dotted paths of a YAML file's mapping keys (block style, as DVC and the handouts write
    them): `stages.train.cmd`. Flow mappings and anchors are not followed: enough to tell whether
    a stage or a parameter is there, which is all a check asks."""
    found: set[str] = set()
    stack: list[tuple[int, str]] = []  # (indent, key)
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#") or raw.startswith(("---", "...")):
            continue
        match = _YAML_KEY.match(raw)
        if not match:
            continue
        indent = len(match["indent"])
        if raw.lstrip().startswith("-"):  # `- key:` opens a mapping inside a list item
            indent += raw[indent:].find(match["key"])
        key = match["key"].strip().strip("\"'")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
        found.add(".".join(name for _, name in stack))
    return found


def _dotted(data, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        keys = set()
        for key, value in data.items():
            keys.add(f"{prefix}{key}")
            keys |= _dotted(value, f"{prefix}{key}.")
        return keys
    return set()


def file_keys(path: Path) -> tuple[set[str], str]:
    """The dotted keys of a YAML, JSON or TOML file, and the kind it was read as."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return _dotted(json.loads(text)), "JSON"
    if path.suffix == ".toml":
        return _dotted(tomllib.loads(text)), "TOML"
    return yaml_keys(text), "YAML"


# --- The conditions -----------------------------------------------------------------------

def shown(argv: list[str]) -> str:
    return " ".join(argv)


def run(argv: list[str], root: Path, t: dict) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, cwd=root, capture_output=True, text=True, errors="replace",
                              timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise Failed(t["not_found"].format(program=argv[0])) from None
    except subprocess.TimeoutExpired:
        raise Failed(t["timeout"].format(command=shown(argv), seconds=RUN_TIMEOUT)) from None


def check_file(condition: dict, root: Path, t: dict) -> None:
    relative = condition["file"]
    path = inside(root, relative)
    if not path.exists():
        raise Failed(t["missing"].format(path=relative))
    if "contains" in condition or "key" in condition:
        if not path.is_file():
            raise Failed(t["not_file"].format(path=relative))
    if "contains" in condition and condition["contains"] not in path.read_text(encoding="utf-8", errors="replace"):
        raise Failed(t["lacks_text"].format(path=relative, text=condition["contains"]))
    if "key" in condition:
        try:
            keys, _ = file_keys(path)
        except (ValueError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            kind = {".json": "JSON", ".toml": "TOML"}.get(path.suffix, "YAML")
            raise Failed(t["unreadable"].format(path=relative, kind=kind, error=error)) from None
        if condition["key"] not in keys:
            raise Failed(t["lacks_key"].format(path=relative, key=condition["key"]))


def check_run(condition: dict, root: Path, t: dict) -> None:
    argv = list(condition["run"])
    if argv and argv[0] == "python":  # the interpreter running this file: the project's venv
        argv[0] = sys.executable
    done = run(argv, root, t)
    command = shown(condition["run"])
    expected = condition.get("exit", 0)
    if done.returncode != expected:
        raise Failed(t["exit"].format(command=command, code=done.returncode, expected=expected))
    printed = done.stdout + done.stderr
    if "prints" in condition and not re.search(condition["prints"], printed, re.MULTILINE):
        raise Failed(t["prints"].format(command=command, pattern=condition["prints"]))
    if condition.get("empty") and done.stdout.strip():
        raise Failed(t["not_empty"].format(command=command, first=done.stdout.strip().splitlines()[0]))


def check_url(condition: dict, root: Path, t: dict) -> None:
    url, expected = condition["url"], condition.get("status", 200)
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, ValueError) as error:
        raise Failed(t["url"].format(url=url, error=getattr(error, "reason", error))) from None
    if status != expected:
        raise Failed(t["url_status"].format(url=url, status=status, expected=expected))


def check_python(condition: dict, root: Path, t: dict) -> None:
    """A small Python check shipped with the project: passes when it exits 0; on failure its last
    printed line is the reason."""
    script = inside(root, condition["python"])
    done = run([sys.executable, str(script)], root, t)
    if done.returncode:
        lines = (done.stdout + done.stderr).strip().splitlines()
        raise Failed(t["python"].format(script=condition["python"], message=lines[-1] if lines else done.returncode))


KINDS = {"file": check_file, "run": check_run, "url": check_url, "python": check_python}


def check_step(step: dict, root: Path, t: dict) -> str | None:
    """None when every condition of the step holds, else the first reason it does not."""
    for condition in step["checks"]:
        kind = next(name for name in KINDS if name in condition)
        try:
            KINDS[kind](condition, root, t)
        except Failed as failure:
            return str(failure)
    return None


# --- Reporting ----------------------------------------------------------------------------

def tell_room(room: str, seat: str, spec: dict, number: int, step: dict, ok: bool, lang: str) -> str | None:
    """Posts one result; returns why it failed, or None."""
    body = json.dumps({"kit": spec["kit"], "step": number, "total": len(spec["steps"]), "check": step["id"],
                       "ok": ok, "seat": seat, "lang": lang}).encode()
    request = urllib.request.Request(room.rstrip("/") + "/api/v1/results", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=ROOM_TIMEOUT):
            return None
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (OSError, ValueError) as error:
        return str(getattr(error, "reason", error))


def line(spec: dict, number: int, lang: str, reason: str | None) -> str:
    t, step = TEXT[lang], spec["steps"][number - 1]
    head = f"{t['step'].format(number=number, total=len(spec['steps']))} {'✓' if reason is None else '✗'} "
    title = step["title"].get(lang) or step["title"]["en"]
    if reason is None:
        return head + title
    url = spec["pages"].get(lang) or spec["pages"]["en"]
    return f"{head}{title}{t['colon']}{reason} — {t['see'].format(url=url + '#' + step['anchor'])}"


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a Windows console in a legacy code page still shows ✓
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = argparse.ArgumentParser(prog="check.py", description="Checks the steps of the handout.")
    parser.add_argument("step", nargs="?", type=int, help="one step's number (default: every step done so far)")
    parser.add_argument("--lang", choices=sorted(TEXT), default="en")
    parser.add_argument("--room", default=os.environ.get("WORKSHOP_ROOM"),
                        help="the speaker's room server (or WORKSHOP_ROOM); sends only the step and its result")
    parser.add_argument("--seat", default=os.environ.get("WORKSHOP_SEAT"), help="your seat (or WORKSHOP_SEAT)")
    args = parser.parse_args(argv)
    t = TEXT[args.lang]
    root = Path(__file__).resolve().parent
    spec_path = root / SPEC_NAME
    if not spec_path.is_file():
        print(t["no_spec"].format(spec=SPEC_NAME), file=sys.stderr)
        return 2
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    total = len(spec["steps"])
    if args.step is not None and not 1 <= args.step <= total:
        print(t["no_step"].format(number=args.step, total=total), file=sys.stderr)
        return 2
    numbers = [args.step] if args.step is not None else range(1, total + 1)
    status = 0
    for number in numbers:
        step = spec["steps"][number - 1]
        reason = check_step(step, root, t)
        print(line(spec, number, args.lang, reason), flush=True)
        if args.room and args.seat:
            problem = tell_room(args.room, args.seat, spec, number, step, reason is None, args.lang)
            if problem:
                print(t["room_failed"].format(room=args.room, error=problem), file=sys.stderr)
        if reason is not None:
            status = 1
            break
    if args.step is None and status == 0:
        print(t["all_done"].format(total=total))
    return status


if __name__ == "__main__":
    sys.exit(main())
