"""A handout's step checks: what must be true of the participant's project after each step.

An author closes a step with a `check` fence; its body lists the conditions, in YAML:

    ```check id="pipeline" title="The pipeline is written"
    - file: dvc.yaml
      key: stages.train
    - run: [dvc, status]
      prints: "up to date"
    ```

Each condition has one kind, run the same on Linux, macOS and Windows by `check.py`
(kit/participant_check.py, shipped in the starter zip with `workshop-checks.json`):

- `file: <path>`, optionally `contains: <text>` or `key: <dotted.key>` (YAML, JSON or TOML);
- `run: [program, arg, ...]` (no shell), optionally `exit: <code>` (default 0), `prints: <regex>`,
  `empty: true` (prints nothing on standard output);
- `url: http://127.0.0.1:<port>/...`, optionally `status: <code>` (default 200);
- `python: <script.py in the project>`: a small check that exits 0 when the step worked.

The page shows, in place of the fence, a "Check this step" box with the command and what it prints
when the step worked; the block runner runs that command like any console block, and proves the
check real: it fails before the step's blocks and passes after them.

This module is pure (no MkDocs, no runner): parsing, validation and the texts the box, the runner and
check.py share.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from ..errors import WorkshopKitError
from . import participant_check
from .participant_check import SPEC_NAME, TEXT

CHECK_LANG = "check"
CHECK_OPTIONS = ("id", "title")
SCRIPT_NAME = "check.py"
ANCHOR_PREFIX = "check-"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
# A program named by a check: a bare name found on PATH (the project's venv), never a path or an option.
_PROGRAM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
_LOCAL_URL = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?(?:/[^\s\"'<>]*)?")
KEYS = {
    "file": {"file", "contains", "key"},
    "run": {"run", "exit", "prints", "empty"},
    "url": {"url", "status"},
    "python": {"python"},
}
EXAMPLE = ('e.g.\n```check id="pipeline" title="The pipeline is written"\n- file: dvc.yaml\n  key: stages.train\n'
           '- run: [dvc, status]\n  prints: "up to date"\n```')


class StepCheckError(WorkshopKitError):
    """A check fence that cannot be used; `offset` is the line within the fence's body (0: the fence)."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class StepCheck:
    """One step's check as a page shows it: its number among the page's checks, in the page's language."""

    id: str
    title: str
    conditions: tuple[dict, ...]
    number: int
    total: int
    lang: str

    @property
    def anchor(self) -> str:
        return ANCHOR_PREFIX + self.id


# --- The fence ------------------------------------------------------------------------------

def option_problems(options: dict) -> list[str]:
    """What is wrong with a check fence's options (`id` and `title`, both required)."""
    problems = [f"a check fence takes id=\"...\" and title=\"...\" only, not '{key}'"
                for key in options if key not in CHECK_OPTIONS and not str(key).startswith("data-")]
    check_id = options.get("id")
    if not isinstance(check_id, str) or not _ID.fullmatch(check_id.strip()):
        problems.append("a check fence needs id=\"...\": lowercase letters, digits and dashes, unique on the page "
                        "and the same in its translation, e.g. id=\"pipeline\"")
    title = options.get("title")
    if not isinstance(title, str) or not title.strip() or title == "title":
        problems.append("a check fence needs title=\"...\": what the step achieved, as check.py prints it, "
                        "e.g. title=\"The pipeline is written\"")
    elif any(ord(char) < 32 for char in title):
        problems.append("a check's title is one line of text")
    return problems


def _condition_line(body: str, index: int) -> int:
    """The body line (0-based) where the `index`-th list item starts."""
    starts = [number for number, line in enumerate(body.splitlines()) if line.startswith("- ") or line == "-"]
    return starts[index] + 1 if index < len(starts) else 1


def _inside(path, what: str) -> str:
    if not isinstance(path, str) or not path.strip():
        raise ValueError(f"{what} needs a path inside the project, e.g. {what} dvc.yaml")
    pure = PurePosixPath(path.strip())
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or path.strip().startswith("~") or ":" in pure.parts[0]:
        raise ValueError(f"{what} {path}: a check reads only inside the project (a relative path with '/', "
                         "no '..', no drive or leading '/')")
    return str(pure)


def _condition(item) -> dict:
    if not isinstance(item, dict) or not item:
        raise ValueError("each condition is a mapping, such as `- file: dvc.yaml`")
    kinds = [kind for kind in KEYS if kind in item]
    if len(kinds) != 1:
        raise ValueError("each condition has exactly one of file:, run:, url:, python: "
                         f"(this one has {', '.join(kinds) or 'none'})")
    kind = kinds[0]
    unknown = sorted(set(item) - KEYS[kind])
    if unknown:
        raise ValueError(f"a {kind}: condition takes {', '.join(sorted(KEYS[kind]))}, "
                         f"not {', '.join(map(str, unknown))}")
    condition = dict(item)
    if kind == "file":
        condition["file"] = _inside(item["file"], "file:")
        for key in ("contains", "key"):
            if key in item and (not isinstance(item[key], str) or not item[key]):
                raise ValueError(f"{key}: needs some text")
    elif kind == "python":
        condition["python"] = _inside(item["python"], "python:")
        if not condition["python"].endswith(".py"):
            raise ValueError(f"python: {item['python']} must be a .py script in the project")
    elif kind == "run":
        argv = item["run"]
        if not isinstance(argv, list) or not argv or not all(isinstance(arg, str | int | float) for arg in argv):
            raise ValueError("run: takes the command as a list of words, e.g. run: [dvc, status] (no shell)")
        condition["run"] = [str(arg) for arg in argv]
        if not _PROGRAM.fullmatch(condition["run"][0]):
            raise ValueError(f"run: the program '{condition['run'][0]}' must be a bare name found on the "
                             "participant's PATH (python, dvc, git...), not a path or an option")
        if "exit" in item and (isinstance(item["exit"], bool) or not isinstance(item["exit"], int)
                               or not 0 <= item["exit"] <= 255):
            raise ValueError("exit: is the exit status expected, 0 to 255")
        if "prints" in item:
            if not isinstance(item["prints"], str) or not item["prints"]:
                raise ValueError("prints: needs a regular expression")
            try:
                re.compile(item["prints"])
            except re.error as err:
                raise ValueError(f"prints: {item['prints']!r} is not a valid regular expression ({err})") from None
        if "empty" in item and item["empty"] is not True:
            raise ValueError("empty: is `true` or left out")
    elif kind == "url":
        if not isinstance(item["url"], str) or not _LOCAL_URL.fullmatch(item["url"].strip()):
            raise ValueError(f"url: {item['url']!r} must be an http:// URL on the participant's own machine "
                             "(127.0.0.1 or localhost)")
        if "status" in item and (isinstance(item["status"], bool) or not isinstance(item["status"], int)
                                 or not 100 <= item["status"] <= 599):
            raise ValueError("status: is an HTTP status code, such as 200")
    return condition


def parse_conditions(body: str) -> tuple[dict, ...]:
    """The conditions of a check fence's body; StepCheckError (with the body line) when unusable."""
    try:
        data = yaml.safe_load(body) if body.strip() else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise StepCheckError(f"the check's conditions are not valid YAML: {getattr(err, 'problem', err)}",
                             mark.line + 1 if mark else 1) from None
    if not isinstance(data, list) or not data:
        raise StepCheckError("a check lists at least one condition, as a YAML list; a check with none cannot "
                             "fail; " + EXAMPLE, 1)
    conditions = []
    for index, item in enumerate(data):
        try:
            conditions.append(_condition(item))
        except ValueError as err:
            raise StepCheckError(str(err), _condition_line(body, index)) from None
    return tuple(conditions)


# --- What the box shows, the runner runs and check.py prints ---------------------------------------

def command(lang: str, number: int) -> str:
    """The command the box gives, to run in the project folder (the same on every system)."""
    return f"python {SCRIPT_NAME} {number}" if lang == "en" else f"python {SCRIPT_NAME} --lang {lang} {number}"


def catch_up_command(lang: str, number: int) -> str:
    """The command that brings the project to step `number` (its checkpoint beside it)."""
    return (f"python {SCRIPT_NAME} --catch-up {number}" if lang == "en"
            else f"python {SCRIPT_NAME} --lang {lang} --catch-up {number}")


def success_line(lang: str, number: int, total: int, title: str) -> str:
    """What check.py prints for a step that worked (participant_check.line, the same texts)."""
    text = TEXT.get(lang, TEXT["en"])
    return f"{text['step'].format(number=number, total=total)} ✓ {title}"


def failure_start(lang: str, number: int, total: int) -> str:
    text = TEXT.get(lang, TEXT["en"])
    return f"{text['step'].format(number=number, total=total)} ✗ "


def transcript(step: StepCheck) -> str:
    """The box's console block: the command and its output when the step worked."""
    lang = step.lang if step.lang in TEXT else "en"
    return f"$ {command(lang, step.number)}\n{success_line(lang, step.number, step.total, step.title)}\n"


# --- What the starter zip ships ------------------------------------------------------------

def spec(kit: str, steps: dict[str, list[StepCheck]], pages: dict[str, str], downloads: str = "") -> dict:
    """`workshop-checks.json`: the English page's checks with every language's title; `downloads`:
    the site's folder of zips, where `check.py --catch-up N` fetches a checkpoint it does not find."""
    english = steps["en"]
    return {
        "kit": kit,
        "pages": dict(sorted(pages.items())),
        **({"downloads": downloads} if downloads else {}),
        "steps": [{"id": step.id, "anchor": step.anchor,
                   "title": {lang: next((s.title for s in found if s.id == step.id), step.title)
                             for lang, found in sorted(steps.items())},
                   "checks": [dict(condition) for condition in step.conditions]}
                  for step in english],
    }


def spec_files(data: dict) -> dict[str, bytes]:
    """The files the starter zip adds beside the project: check.py and its spec."""
    script = Path(participant_check.__file__).read_bytes()
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return {SCRIPT_NAME: script, SPEC_NAME: text.encode("utf-8")}
