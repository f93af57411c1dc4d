"""check.py: tells a participant whether each step of a handout worked, on their own laptop.

Shipped in the starter zip beside `workshop-checks.json` (what each step must leave in the
project, written by the site's build from the handout). It needs nothing but the standard
library of the Python that created the project's virtual environment, and runs the same on
Linux, macOS and Windows:

    python check.py             every step done so far, up to the first that is not
    python check.py 3           step 3 alone
    python check.py --lang fr   in French (the French page's copy buttons give it)
    python check.py --room http://ROOM:8765 --seat 12 ...   also tell the speaker's room server
    python check.py --catch-up 3   save my changed files to a dated backup folder beside the
                                   project, then replay the page's steps 1 to 3 (needs the step's
                                   checkpoint, <kit>-step-3.zip, here or in the folder above)

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
        "cu_downloading": "Downloading {url} ...",
        "cu_no_zip": "{name} is neither in this folder nor in {parent}: download it from the page ({page}) into "
                     "{parent}, then run the catch-up again",
        "cu_no_download": "{name} could not be downloaded from {url} ({error}); once you have it (from the page, "
                          "{page}), put it in {parent} and run the catch-up again: it works offline then",
        "cu_bad_zip": "{path} is not checkpoint {number} of this handout ({error}): download it again from the page",
        "cu_no_venv": "this folder has no .venv and no virtual environment is active: make it as the page's "
                      "“Get the project” box says, then run the catch-up again (nothing was changed)",
        "cu_no_bash": "the catch-up replays the page's commands with bash, which this computer does not have: "
                      "install Git for Windows (https://git-scm.com/download/win), which brings it, then run the "
                      "catch-up again (nothing was changed)",
        "cu_no_bash_here": "the catch-up replays the page's commands with bash, which is not on this computer's PATH: "
                           "install it, then run the catch-up again (nothing was changed)",
        "cu_saved": "Your files that differ from the starter ({count}) are saved in {folder}",
        "cu_saved_beside": "What the page made beside the project ({names}) is saved in {folder}",
        "cu_nothing": "Nothing to save: the folder held the starter's files only.",
        "cu_replay": "The folder holds the starter's files again; replaying steps 1 to {number} of the page "
                     "(this takes as long as the steps did):",
        "cu_command": "  $ {command}",
        "cu_write": "  (writes {path})",
        "cu_serve": "  $ {command}   (in the background, until the catch-up ends)",
        "cu_python": "  (runs the page's Python of {where})",
        "cu_failed": "✗ The catch-up stopped at step {number}/{total} ({where}): {reason}",
        "cu_exit": "`{command}` exited with {code} (expected {expected})",
        "cu_python_failed": "the page's Python raised {error}",
        "cu_write_outside": "{path} is outside the project",
        "cu_server_exited": "the server `{command}` stopped (status {code}) before {url} answered",
        "cu_server_timeout": "{url} did not answer within {seconds} s",
        "cu_server_busy": "{url} already answers: stop the server you started for this page (Ctrl+C in its "
                          "terminal), then run the catch-up again",
        "cu_check_failed": "step {number}'s check does not pass after its blocks",
        "cu_last_lines": "What it printed last:",
        "cu_safe": "Your files are safe in {folder}.",
        "cu_done": "Caught up to step {number}/{total}. Go on with the page after this step: {url}",
        "cu_servers": "The servers the catch-up started are stopped; start them again as the page says if the next "
                      "steps use them: {commands}",
        "cu_interrupted": "The catch-up was interrupted.",
        "cu_no_steps": "{name} holds no plan for step {number}",
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
        "cu_downloading": "Téléchargement de {url} ...",
        "cu_no_zip": "{name} n'est ni dans ce dossier ni dans {parent} : téléchargez-le depuis la page ({page}) "
                     "dans {parent}, puis relancez le rattrapage",
        "cu_no_download": "{name} n'a pas pu être téléchargé depuis {url} ({error}) ; une fois que vous l'avez "
                          "(depuis la page, {page}), mettez-le dans {parent} et relancez le rattrapage : il "
                          "fonctionne alors hors ligne",
        "cu_bad_zip": "{path} n'est pas le point de reprise {number} de cette fiche ({error}) : téléchargez-le à "
                      "nouveau depuis la page",
        "cu_no_venv": "ce dossier n'a pas de .venv et aucun environnement virtuel n'est activé : créez-le comme le "
                      "dit l'encadré « Récupérer le projet » de la page, puis relancez le rattrapage (rien n'a été "
                      "modifié)",
        "cu_no_bash": "le rattrapage rejoue les commandes de la page avec bash, que cet ordinateur n'a pas : "
                      "installez Git for Windows (https://git-scm.com/download/win), qui l'apporte, puis relancez le "
                      "rattrapage (rien n'a été modifié)",
        "cu_no_bash_here": "le rattrapage rejoue les commandes de la page avec bash, qui n'est pas dans le PATH de "
                           "cet ordinateur : installez-le, puis relancez le rattrapage (rien n'a été modifié)",
        "cu_saved": "Vos fichiers qui diffèrent du projet de départ ({count}) sont sauvegardés dans {folder}",
        "cu_saved_beside": "Ce que la page a créé à côté du projet ({names}) est sauvegardé dans {folder}",
        "cu_nothing": "Rien à sauvegarder : le dossier ne contenait que les fichiers du projet de départ.",
        "cu_replay": "Le dossier contient à nouveau les fichiers du projet de départ ; les étapes 1 à {number} de "
                     "la page sont rejouées (cela prend le temps qu'elles ont pris) :",
        "cu_command": "  $ {command}",
        "cu_write": "  (écrit {path})",
        "cu_serve": "  $ {command}   (en arrière-plan, jusqu'à la fin du rattrapage)",
        "cu_python": "  (exécute le Python de la page, {where})",
        "cu_failed": "✗ Le rattrapage s'est arrêté à l'étape {number}/{total} ({where}) : {reason}",
        "cu_exit": "`{command}` s'est terminé avec le code {code} ({expected} attendu)",
        "cu_python_failed": "le Python de la page a levé {error}",
        "cu_write_outside": "{path} est en dehors du projet",
        "cu_server_exited": "le serveur `{command}` s'est arrêté (code {code}) avant que {url} ne réponde",
        "cu_server_timeout": "{url} n'a pas répondu en {seconds} s",
        "cu_server_busy": "{url} répond déjà : arrêtez le serveur que vous avez lancé pour cette page (Ctrl+C dans "
                          "son terminal), puis relancez le rattrapage",
        "cu_check_failed": "la vérification de l'étape {number} ne passe pas après ses blocs",
        "cu_last_lines": "Ses dernières lignes :",
        "cu_safe": "Vos fichiers sont en sécurité dans {folder}.",
        "cu_done": "Rattrapage jusqu'à l'étape {number}/{total} terminé. Reprenez la page après cette étape : {url}",
        "cu_servers": "Les serveurs lancés par le rattrapage sont arrêtés ; relancez-les comme le dit la page si les "
                      "étapes suivantes en ont besoin : {commands}",
        "cu_interrupted": "Le rattrapage a été interrompu.",
        "cu_no_steps": "{name} ne contient pas le plan de l'étape {number}",
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


# --- Catching up to a step -----------------------------------------------------------------
#
# `python check.py --catch-up N` with `<kit>-step-N.zip` (the page's checkpoint of step N) in this
# folder or the one above: the participant's files that differ from the starter are moved to a
# dated backup folder beside the project, the folder gets the starter's files back (its .venv is
# kept, Git is made again as the page's box makes it), then the page's blocks of steps 1 to N are
# replayed (catch-up.json) and each step's check is run after its blocks.

CATCH_UP_NAME = "catch-up.json"
KEPT = (".venv",)  # never saved nor reset: the participant's virtual environment
SERVER_WAIT = 180  # seconds a server started by the replay may take to answer
LAST_LINES = 25
# As the block runner runs shell blocks: each command in a fresh bash that restores the directory
# and exported variables the previous one left, and saves them on exit.
SHELL_PRELUDE = """\
[ -s "$WK_STATE" ] && source "$WK_STATE"
wk_save() { local rc=$?; { declare -px | grep -v '^declare -[a-z]*r' ; printf 'cd %q\\n' "$PWD"; } > "$WK_STATE.new" \
&& mv "$WK_STATE.new" "$WK_STATE"; return $rc; }
trap wk_save EXIT
"""
STRICT = "set -eEo pipefail\n"
# The interpreter of the page's Python blocks, one for the whole replay (a block may use what an
# earlier one imported); what the blocks print goes to a log, the answers to the first stdout.
PYTHON_CHILD = r"""
import ast, json, os, sys, traceback
ANSWER = "@@catch-up-answer@@ "
answers = os.fdopen(os.dup(1), "w")
namespace = {"__name__": "__main__"}
for line in sys.stdin:
    request = json.loads(line)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if request["cwd"] not in sys.path:
        sys.path.insert(0, request["cwd"])
    error = None
    with open(request["log"], "ab") as log:
        sys.stdout.flush(); sys.stderr.flush()
        os.dup2(log.fileno(), 1); os.dup2(log.fileno(), 2)
        try:
            tree = ast.parse(request["code"], "<page>", "exec")
            if request["mode"] == "single" and tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Interactive(body=[tree.body.pop()])
                exec(compile(tree, "<page>", "exec"), namespace)
                exec(compile(last, "<page>", "single"), namespace)
            else:
                exec(compile(tree, "<page>", "exec"), namespace)
        except SystemExit as exit_:
            error = None if exit_.code in (None, 0) else f"SystemExit({exit_.code!r})"
        except BaseException as exception:
            traceback.print_exc()
            error = "".join(traceback.format_exception_only(type(exception), exception)).strip()
        finally:
            sys.stdout.flush(); sys.stderr.flush()
    # What threads print between two requests goes on into the last log, never into the answers.
    answers.write(ANSWER + json.dumps({"error": error}) + "\n")
    answers.flush()
"""
ANSWER = "@@catch-up-answer@@ "


class Stop(Exception):
    """The catch-up cannot go on; the message is in the participant's language."""

    def __init__(self, message: str, status: int = 2):
        super().__init__(message)
        self.status = status


def safe_relative(name: str) -> str:
    """A path read from a checkpoint: relative, with '/', never leaving the folder."""
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or ":" in parts[0] or ".." in parts:
        raise ValueError(f"{name!r} is not a path inside the project")
    return name


def find_checkpoint(root: Path, name: str) -> Path | None:
    """The checkpoint in the project folder or in the folder above (where the starter was unpacked)."""
    for folder in (root, root.parent):
        if (folder / name).is_file():
            return folder / name
    return None


def download(url: str, target: Path) -> str | None:
    """Downloads `url` to `target`; returns why it could not, or None."""
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=30) as answer, open(partial, "wb") as out:
            while chunk := answer.read(1 << 16):
                out.write(chunk)
    except urllib.error.HTTPError as error:
        partial.unlink(missing_ok=True)
        return f"HTTP {error.code}"
    except (OSError, ValueError) as error:
        partial.unlink(missing_ok=True)
        return str(getattr(error, "reason", error))
    partial.replace(target)
    return None


def read_checkpoint(path: Path, kit: str, number: int, t: dict) -> tuple[dict, dict[str, tuple[bytes, int]]]:
    """The plan and the starter's files (bytes and permission bits) of a checkpoint zip."""
    import zipfile

    try:
        files: dict[str, tuple[bytes, int]] = {}
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                _, _, relative = info.filename.partition("/")
                files[safe_relative(relative)] = (archive.read(info), (info.external_attr >> 16) & 0o777)
        plan = json.loads(files.pop(CATCH_UP_NAME)[0].decode("utf-8"))
        if plan.get("kit") != kit or plan.get("step") != number or len(plan.get("steps", [])) != number:
            raise ValueError(f"it is {plan.get('kit')}'s checkpoint of step {plan.get('step')}")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise Stop(t["cu_bad_zip"].format(path=path, number=number, error=error)) from None
    return plan, files


def venv_python(root: Path) -> Path | None:
    """The project's virtual environment's interpreter, else the active one's, else None."""
    for candidate in (root / ".venv" / "bin" / "python", root / ".venv" / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    if sys.prefix != sys.base_prefix:
        return Path(sys.executable)
    return None


def find_bash() -> str | None:
    """bash: on Windows Git for Windows' (never the WSL launcher of System32, which would run the
    commands in Linux, away from this folder's virtual environment)."""
    import shutil

    if os.name != "nt":
        return shutil.which("bash")
    candidates = []
    found = shutil.which("bash")
    if found and "system32" not in found.lower() and "windowsapps" not in found.lower():
        candidates.append(Path(found))
    git = shutil.which("git")
    if git:
        candidates.append(Path(git).resolve().parent.parent / "bin" / "bash.exe")
    for variable in ("ProgramFiles", "ProgramW6432", "LOCALAPPDATA"):
        base = os.environ.get(variable)
        if base:
            candidates += [Path(base) / "Git" / "bin" / "bash.exe",
                           Path(base) / "Programs" / "Git" / "bin" / "bash.exe"]
    candidates.append(Path(r"C:\Program Files\Git\bin\bash.exe"))
    return next((str(path) for path in candidates if path.is_file()), None)


def backup_folder(root: Path, stamp: str, suffix: str = "") -> Path:
    folder = root.parent / f"{root.name}-backup-{stamp}{suffix}"
    number = 2
    while folder.exists():
        folder = root.parent / f"{root.name}-backup-{stamp}-{number}{suffix}"
        number += 1
    return folder


def _count(path: Path) -> int:
    if path.is_symlink() or not path.is_dir():
        return 1
    return sum(len(files) for _, _, files in os.walk(path))


def save_and_reset(root: Path, starter: dict[str, tuple[bytes, int]], backup: Path, skip: set[Path],
                   kept: tuple[str, ...] = KEPT) -> int:
    """Moves every file of the folder that is not the starter's, byte for byte, to `backup` (same
    relative paths; the virtual environment's folder, `kept`, and the files in `skip` stay), then
    writes the starter's files back. Returns how many files were saved."""
    import shutil

    saved = 0

    def move(path: Path, relative: str) -> None:
        nonlocal saved
        saved += _count(path)
        target = backup / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(target))

    folders_with_starter = {"/".join(name.split("/")[:depth]) for name in starter
                            for depth in range(1, name.count("/") + 1)}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        prefix = here.relative_to(root).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(dirs):
            relative = prefix + name
            if relative in kept:
                dirs.remove(name)
            elif (here / name).is_symlink() or relative not in folders_with_starter:
                dirs.remove(name)  # nothing of the starter under it: saved whole, in one move
                move(here / name, relative)
        for name in sorted(files):
            path, relative = here / name, prefix + name
            if path.resolve() in skip:
                continue
            if relative in starter and not path.is_symlink() and path.read_bytes() == starter[relative][0]:
                continue
            move(path, relative)
    for folder, _dirs, _files in os.walk(root, topdown=False):
        here = Path(folder)
        if here != root and not os.listdir(here) and here.relative_to(root).parts[0] not in kept:
            here.rmdir()
    for relative, (data, mode) in sorted(starter.items()):
        path = root / relative
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if mode and os.name != "nt":
            path.chmod(mode)
    return saved


def save_beside(root: Path, names: list[str], backup: Path, skip: set[Path]) -> list[str]:
    """Moves what the page makes beside the project (`../dvc-storage`, and `../data-registry.*`
    beside `../data-registry`) to `backup`, so that the replay makes it again from nothing."""
    import shutil

    moved = []
    for entry in sorted(root.parent.iterdir()):
        if entry == root or entry.resolve() in skip or entry.name.startswith(f"{root.name}-backup-"):
            continue
        if any(entry.name == name or entry.name.startswith(name + ".") for name in names):
            backup.mkdir(parents=True, exist_ok=True)
            shutil.move(str(entry), str(backup / entry.name))
            moved.append(entry.name)
    return moved


def last_lines(text: str) -> str:
    lines = text.rstrip().splitlines()
    return "\n".join("    " + line for line in lines[-LAST_LINES:])


class Replay:
    """The page's actions, run in the project folder as the block runner runs them."""

    def __init__(self, root: Path, python: Path, bash: str, work: Path, t: dict):
        self.root, self.python, self.bash, self.work, self.t = root, python, bash, work, t
        self.env = {key: value for key, value in os.environ.items() if key not in ("PYTHONHOME", "PYTHONPATH")}
        scripts = python.parent
        self.env["PATH"] = str(scripts) + os.pathsep + self.env.get("PATH", "")
        self.env["VIRTUAL_ENV"] = str(scripts.parent)
        self.state = work / "shell-state"
        self.state.write_text("")
        self.env["WK_STATE"] = self.state.as_posix()
        self.log = work / "output.log"
        self.servers: list[tuple[subprocess.Popen, str]] = []
        self.child: subprocess.Popen | None = None

    def _group(self) -> dict:
        if os.name == "nt":
            return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        return {"start_new_session": True}

    def shell(self, script: str, strict: bool) -> tuple[int, str]:
        with open(self.log, "w+b") as capture:
            process = subprocess.Popen([self.bash, "--noprofile", "--norc", "-c",
                                        SHELL_PRELUDE + (STRICT if strict else "") + script],
                                       cwd=self.root, env=self.env, stdout=capture, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, **self._group())
            try:
                code = process.wait()
            finally:
                self._stop(process, grace=0)  # what the command left running (never a server: see serve)
            capture.seek(0)
            return code, capture.read().decode(errors="replace")

    def where_shell_stands(self) -> tuple[Path, dict]:
        """The shell's directory and exported variables now (for a file written or Python run there)."""
        probe = (SHELL_PRELUDE + '"$WK_PYTHON" -c "import json, os, sys; '
                 'sys.stdout.write(json.dumps([os.getcwd(), dict(os.environ)]))"')
        env = dict(self.env, WK_PYTHON=self.python.as_posix())
        done = subprocess.run([self.bash, "--noprofile", "--norc", "-c", probe], cwd=self.root, env=env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        try:
            cwd, environment = json.loads(done.stdout)
        except ValueError:
            return self.root, dict(self.env)
        environment.pop("WK_PYTHON", None)
        return Path(cwd), environment

    def python_code(self, code: str, mode: str) -> str | None:
        """Runs one statement or block in the replay's interpreter; returns the error, or None."""
        cwd, env = self.where_shell_stands()
        if self.child is None:
            self.child = subprocess.Popen([str(self.python), "-u", "-c", PYTHON_CHILD], cwd=cwd, env=env,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=open(self.work / "python.log", "ab"), text=True, encoding="utf-8",
                                          **self._group())
        self.log.write_bytes(b"")
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write(json.dumps({"code": code, "mode": mode, "cwd": str(cwd), "env": env,
                                           "log": str(self.log)}) + "\n")
        self.child.stdin.flush()
        while True:
            answer = self.child.stdout.readline()
            if not answer:
                return "(the interpreter stopped)"
            if answer.startswith(ANSWER):
                return json.loads(answer[len(ANSWER):])["error"]

    def serve(self, command: str, url: str) -> str | None:
        """Starts a server in the background; None once `url` answers, else why not."""
        import time

        if answers(url):
            raise Stop(self.t["cu_server_busy"].format(url=url))
        log = open(self.work / f"server-{len(self.servers)}.log", "wb")
        restore = '[ -s "$WK_STATE" ] && source "$WK_STATE"\n'
        server = subprocess.Popen([self.bash, "--noprofile", "--norc", "-c", restore + command], cwd=self.root,
                                  env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  **self._group())
        self.servers.append((server, command))
        deadline = time.monotonic() + SERVER_WAIT
        while time.monotonic() < deadline:
            if server.poll() is not None:
                return self.t["cu_server_exited"].format(command=command, code=server.returncode, url=url)
            if answers(url):
                return None
            time.sleep(0.5)
        return self.t["cu_server_timeout"].format(url=url, seconds=SERVER_WAIT)

    def _stop(self, process: subprocess.Popen, grace: float = 15) -> None:
        import signal

        if os.name == "nt":
            if process.poll() is None:
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True)
            process.wait()
            return
        try:
            os.killpg(process.pid, signal.SIGTERM if grace else signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            return
        if grace:
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        process.wait()

    def close(self) -> None:
        if self.child is not None:
            if self.child.stdin is not None:
                self.child.stdin.close()
            try:
                self.child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self._stop(self.child, grace=0)
            self.child = None
        for server, _ in self.servers:
            self._stop(server)


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).close()
        return True
    except urllib.error.HTTPError:
        return True  # an error status is still a server answering
    except (OSError, ValueError):
        return False


def replay_action(replay: Replay, action: dict, t: dict) -> str | None:
    """Runs one action; returns why it failed (with what it printed last), or None."""
    kind = action.get("kind")
    if kind == "run":
        for command in action["commands"]:
            print(t["cu_command"].format(command=command["command"].splitlines()[0]
                                         + (" ..." if "\n" in command["command"] else "")), flush=True)
            code, output = replay.shell(command["command"], command.get("strict", False))
            if code != command.get("exit", 0):
                reason = t["cu_exit"].format(command=command["command"], code=code, expected=command.get("exit", 0))
                return f"{reason}\n{t['cu_last_lines']}\n{last_lines(output)}" if output.strip() else reason
        return None
    if kind == "write":
        print(t["cu_write"].format(path=action["path"]), flush=True)
        cwd, _ = replay.where_shell_stands()
        try:
            target = inside(cwd, safe_relative(action["path"]))
        except ValueError:
            return t["cu_write_outside"].format(path=action["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(action["text"].encode("utf-8"))
        return None
    if kind == "serve":
        print(t["cu_serve"].format(command=action["command"]), flush=True)
        return replay.serve(action["command"], action["url"])
    if kind == "python":
        print(t["cu_python"].format(where=action["where"]), flush=True)
        for statement in action["statements"]:
            error = replay.python_code(statement["code"], statement.get("mode", "exec"))
            if error is not None and not statement.get("raises"):
                output = replay.log.read_text(errors="replace") if replay.log.is_file() else ""
                reason = t["cu_python_failed"].format(error=error)
                return f"{reason}\n{t['cu_last_lines']}\n{last_lines(output)}" if output.strip() else reason
        return None
    return f"unknown action {kind!r}"


def catch_up(root: Path, spec: dict, number: int, lang: str) -> int:
    """`--catch-up N`: saves, resets and replays; the exit status of check.py."""
    import tempfile
    import time

    t = TEXT[lang]
    total = len(spec["steps"])
    name = f"{spec['kit']}-step-{number}.zip"
    page = spec["pages"].get(lang) or spec["pages"]["en"]
    try:
        path = find_checkpoint(root, name)
        if path is None:
            downloads = spec.get("downloads", "")
            if not downloads.startswith(("http://", "https://")):
                raise Stop(t["cu_no_zip"].format(name=name, parent=root.parent, page=page))
            url = downloads.rstrip("/") + "/" + name
            print(t["cu_downloading"].format(url=url), flush=True)
            error = download(url, root.parent / name)
            if error is not None:
                raise Stop(t["cu_no_download"].format(name=name, url=url, error=error, page=page, parent=root.parent))
            path = root.parent / name
        plan, starter = read_checkpoint(path, spec["kit"], number, t)
        python = venv_python(root)
        if python is None:
            raise Stop(t["cu_no_venv"])
        bash = find_bash()
        if bash is None:
            raise Stop(t["cu_no_bash"] if os.name == "nt" else t["cu_no_bash_here"])
    except Stop as stop:
        print(str(stop), file=sys.stderr)
        return stop.status
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = backup_folder(root, stamp)
    skip = {path.resolve()}
    kept: tuple[str, ...] = KEPT
    prefix = Path(sys.prefix).resolve()  # an active venv of another name, inside the folder, stays too
    if python == Path(sys.executable) and prefix.is_relative_to(root) and prefix != root:
        kept += (prefix.relative_to(root).parts[0],)
    saved = save_and_reset(root, starter, backup, skip, kept)
    print(t["cu_saved"].format(count=saved, folder=backup) if saved else t["cu_nothing"], flush=True)
    beside_backup = backup.with_name(backup.name + "-beside")
    moved = save_beside(root, plan.get("beside", []), beside_backup, skip)
    if moved:
        print(t["cu_saved_beside"].format(names=", ".join(moved), folder=beside_backup), flush=True)
    safe = backup if saved else (beside_backup if moved else None)
    print(t["cu_replay"].format(number=number), flush=True)
    steps = spec["steps"]
    with tempfile.TemporaryDirectory(prefix="catch-up-") as work:
        replay = Replay(root, python, bash, Path(work), t)
        try:
            for command in plan.get("git", []):
                code, output = replay.shell(command, True)
                if code:
                    reason = t["cu_exit"].format(command=command, code=code, expected=0)
                    more = "\n" + last_lines(output) if output.strip() else ""
                    raise Stop(t["cu_failed"].format(number=1, total=total, where="git", reason=reason) + more, 1)
            for step in plan["steps"]:
                k = step["number"]
                for action in step["actions"]:
                    failed = replay_action(replay, action, t)
                    if failed is not None:
                        raise Stop(t["cu_failed"].format(number=k, total=total, where=action.get("where", "?"),
                                                         reason=failed), 1)
                checked = subprocess.run([str(python), str(root / "check.py"), "--lang", lang, str(k)], cwd=root,
                                         env=dict(replay.env, PYTHONIOENCODING="utf-8"), capture_output=True,
                                         text=True, encoding="utf-8",
                                         errors="replace", stdin=subprocess.DEVNULL)
                print(checked.stdout.rstrip(), flush=True)
                if checked.returncode:
                    raise Stop(t["cu_failed"].format(number=k, total=total, where=step.get("where", "?"),
                                                     reason=t["cu_check_failed"].format(number=k)), 1)
        except Stop as stop:
            print(str(stop), file=sys.stderr)
            if safe is not None:
                print(t["cu_safe"].format(folder=safe), file=sys.stderr)
            return stop.status
        except KeyboardInterrupt:
            print(t["cu_interrupted"], file=sys.stderr)
            if safe is not None:
                print(t["cu_safe"].format(folder=safe), file=sys.stderr)
            return 130
        finally:
            replay.close()
    anchor = steps[number - 1]["anchor"] if number <= len(steps) else ""
    print(t["cu_done"].format(number=number, total=total, url=f"{page}#{anchor}"))
    if replay.servers:
        print(t["cu_servers"].format(commands="; ".join(f"`{command}`" for _, command in replay.servers)))
    return 0


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
    parser.add_argument("--catch-up", type=int, metavar="N", dest="catch_up",
                        help="save your changed files to a dated backup folder, then replay the page up to step N "
                             "(needs <kit>-step-N.zip, the step's checkpoint, here or in the folder above)")
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
    if args.catch_up is not None:
        if args.step is not None:
            parser.error("give a step to check or --catch-up N, not both")
        if not 1 <= args.catch_up <= total:
            print(t["no_step"].format(number=args.catch_up, total=total), file=sys.stderr)
            return 2
        return catch_up(root, spec, args.catch_up, args.lang)
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
