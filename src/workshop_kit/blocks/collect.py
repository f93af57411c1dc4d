"""Finds every fenced block of a Markdown page, wherever it is nested, after snippet expansion.

Fences are found line by line, so blocks inside admonitions, `???` details, `===` content tabs and
list items are found too, each with its line in the page. Lines with `--8<--` are expanded by
pymdownx.snippets itself (with the site's own settings), so a block is tested as the reader sees it.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import markdown
import yaml

from ..kit.box import expand as expand_kit_box
from ..kit.config import Kit, KitError
from ..notebook_pages import notebook_workshop_meta
from .model import RUNNABLE, Block, BlockError, Session

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+.-]*)[ \t]*(?P<options>.*?)[ \t]*$")
_SNIPPET = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]")
ALLOWED_OPTIONS = {"project", "skip", "serves", "kit", "title", "hl_lines", "linenums"}


def split_front_matter(text: str, name: str = "<page>") -> tuple[dict, list[str], int]:
    """(front matter, body lines, number of lines the front matter took); BlockError if unreadable."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            try:
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as err:
                mark = getattr(err, "problem_mark", None)
                raise BlockError(f"the front matter is not valid YAML ({getattr(err, 'problem', None) or err}); "
                                 "write one 'key: value' per line and quote values holding ':' or brackets",
                                 name, mark.line + 2 if mark else 1) from None
            return (meta if isinstance(meta, dict) else {}), lines[end + 1:], end + 1
    return {}, lines, 0


class SnippetExpander:
    """pymdownx.snippets' preprocessor, configured like the site's."""

    def __init__(self, config: dict | None = None):
        # auto_append would add its files to every line expanded here; they hold no code anyway.
        config = {key: value for key, value in (config or {}).items() if key != "auto_append"}
        md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": config})
        self._processor = md.preprocessors["snippet"]

    def expand(self, line: str) -> list[str]:
        if not _SNIPPET.match(line) and "--8<--" not in line:
            return [line]
        self._processor.seen = set()
        return self._processor.run([line])


def parse_options(text: str, where: tuple[Path, int]) -> dict[str, str]:
    text = text.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    try:
        parts = shlex.split(text)
    except ValueError as err:
        raise BlockError(f"fence options cannot be read ({err}); quote values like key=\"value\"", *where) from None
    options = {}
    for part in parts:
        if part.startswith("."):
            continue
        if "=" not in part:
            raise BlockError(f"fence option '{part}' needs a value: write {part}=\"...\"", *where)
        key, value = part.split("=", 1)
        if key not in ALLOWED_OPTIONS:
            raise BlockError(f"unknown fence option '{key}'; known: {', '.join(sorted(ALLOWED_OPTIONS))}", *where)
        options[key] = value
    return options


def page_language(path: Path) -> str:
    """`handout.fr.md` -> fr; `handout.md` -> en (the site's suffix convention)."""
    suffixes = Path(path).suffixes
    return suffixes[-2].lstrip(".") if len(suffixes) > 1 else "en"


def scan(path: Path, text: str, expander: SnippetExpander | None = None, display: str | None = None, *,
         kits: dict[str, Kit] | None = None, page_path: str = "", repo_url: str = "") -> tuple[dict, list[Block]]:
    """Front matter and blocks of a page; `display` is the path used in messages, `page_path` the
    page relative to the docs folder (its first folder names the workshop of a `/// get-project`)."""
    expander = expander or SnippetExpander()
    name = display or str(path)
    meta, lines, offset = split_front_matter(text, name)
    try:
        boxed = expand_kit_box(lines, kits or {}, page_path or str(path), page_language(path), repo_url)
    except KitError as err:
        line = int(str(err).split(":", 1)[0].removeprefix("line ")) + offset
        raise BlockError(str(err).split(": ", 1)[1], name, line) from None
    # Expand snippets line by line, remembering which page line each expanded line came from.
    expanded: list[tuple[str, int]] = []
    for line, index in boxed:
        number = index + offset + 1
        try:
            expanded.extend((piece, number) for piece in expander.expand(line))
        except Exception as err:  # pymdownx raises its own SnippetMissingError
            raise BlockError(f"snippet cannot be included: {err}", name, number) from None
    default = meta.get("project")
    blocks, i = [], 0
    while i < len(expanded):
        line, number = expanded[i]
        match = _OPEN.match(line)
        if not match:
            i += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        end = next((j for j in range(i + 1, len(expanded))
                    if expanded[j][0].strip() and set(expanded[j][0].strip()) == {fence[0]}
                    and len(expanded[j][0].strip()) >= len(fence)
                    and len(expanded[j][0]) - len(expanded[j][0].lstrip()) <= len(indent)), None)
        if end is None:
            raise BlockError(f"the fence opened here ({fence}) is never closed", name, number)
        options = parse_options(match.group("options"), (name, number))
        body = [text[len(indent):] if text.startswith(indent) else text.lstrip() for text, _ in expanded[i + 1:end]]
        blocks.append(Block(Path(name), number, match.group("lang").lower(), "\n".join(body) + "\n", options,
                            options.get("project") or default))
        i = end + 1
    return meta, blocks


def scan_notebook(path: Path, text: str, display: str | None = None) -> tuple[dict, list[Block]]:
    """A notebook page: its code cells are Python blocks, run in order like a page's.

    The notebook's metadata says where they run: `{"workshop": {"project": ..., "setup": ...}}`,
    or `{"workshop": {"skip": "why"}}` for a notebook that cannot run here.
    """
    import json

    name = display or str(path)
    try:
        notebook = json.loads(text)
    except ValueError as err:
        raise BlockError(f"the notebook is not valid JSON ({err})", name, 1) from None
    meta = notebook_workshop_meta(notebook if isinstance(notebook, dict) else {})
    options = {"skip": meta["skip"]} if meta.get("skip") else {}
    blocks = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            code = "".join(source) if isinstance(source, list) else source
            blocks.append(Block(Path(name), number, "python", code + "\n", dict(options), meta.get("project")))
    return meta, blocks


def check(block: Block, examples: Path) -> None:
    """A block must run somewhere or say why it cannot; raises BlockError otherwise."""
    if not block.lang:
        raise BlockError("name the block's language after the fence, e.g. ```bash", block.path, block.line)
    if block.skip is not None:
        if not block.skip.strip():
            raise BlockError("skip=\"\" needs a reason a reader understands", block.path, block.line)
        return
    if "project" in block.options and "skip" in block.options:
        raise BlockError("give either project=\"...\" or skip=\"...\", not both", block.path, block.line)
    if not block.project:
        if block.path.suffix == ".ipynb":
            raise BlockError("this notebook's code cells are bound to no example project: add "
                             "{\"workshop\": {\"project\": \"<folder under examples/>\"}} (or {\"skip\": \"<why>\"}) "
                             "to the notebook's metadata", block.path, block.line)
        raise BlockError(
            "this block is bound to no example project: add project=\"<folder under examples/>\" to the fence "
            "(or 'project:' to the page's front matter), or skip=\"<why it cannot run here>\"",
            block.path, block.line)
    if block.lang not in RUNNABLE:
        raise BlockError(f"'{block.lang}' blocks cannot be run; add skip=\"<why>\" (languages that run: "
                         f"{', '.join(sorted(RUNNABLE))})", block.path, block.line)
    if not (examples / block.project).is_dir():
        raise BlockError(f"project '{block.project}' does not exist: there is no examples/{block.project}/",
                         block.path, block.line)


def sessions(path: Path, meta: dict, blocks: list[Block], kits: dict[str, Kit] | None = None) -> list[Session]:
    """Runnable blocks grouped per project, in page order."""
    grouped: dict[str, list[Block]] = {}
    for block in blocks:
        if block.skip is None and block.project:
            grouped.setdefault(block.project, []).append(block)
    # `setup:` in the front matter puts the project copy where the page's reader starts from
    # (a clone with one commit, a data registry...); it runs before each session of the page.
    found = []
    for project, items in grouped.items():
        kit = None
        boxes = [block for block in items if block.options.get("kit")]
        if boxes:
            kit = (kits or {}).get(boxes[0].options["kit"])
            if kit is None or kit.project != project:
                raise BlockError(f"kit '{boxes[0].options['kit']}' does not start from project '{project}': "
                                 "bind the page to the kit's project", boxes[0].path, boxes[0].line)
            if items[0] is not boxes[0]:
                raise BlockError("the \"Get the project\" box must come before the page's other blocks of "
                                 f"project '{project}'", items[0].path, items[0].line)
        found.append(Session(path, project, items, meta.get("setup"), kit))
    return found
