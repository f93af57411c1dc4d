"""Finds every fenced block of a Markdown page, wherever it is nested, after snippet expansion.

Fences are found line by line, so blocks inside admonitions, `???` details, `===` content tabs and
list items are found too, each with its line in the page. Lines with `--8<--` are expanded by
pymdownx.snippets itself (with the site's own settings), so a block is tested as the reader sees it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, cast

import markdown
from markdown.extensions.attr_list import get_attrs
from pymdownx.superfences import RE_NESTED_FENCE_START, RE_OPTIONS

from .. import paths
from ..extensions.fenced import FENCE_OPEN
from ..extensions.fences import option_problems
from ..extensions.kit_box import expand as expand_kit_box
from ..front_matter import split_front_matter
from ..kit.config import Kit, KitError
from ..kit.step_checks import CHECK_LANG, CHECK_OPTIONS, StepCheck, StepCheckError, parse_conditions, transcript
from ..notebook_meta import notebook_workshop_meta
from .model import RUNNABLE, SHELL, Block, BlockError, Session

_SNIPPET = re.compile(r"^[ \t]*-{1,}8<-{1,}[ \t]")


class SnippetRefused(Exception):
    """An include that names a file outside the folders includes come from, or a symlink whose
    target leaves the repository."""


def _default_root(bases: list[str]) -> Path:
    if not bases:
        return Path.cwd()
    common = Path(os.path.commonpath([os.path.abspath(base) for base in bases]))
    return common.parent if len(bases) == 1 else common


class SnippetExpander:
    """pymdownx.snippets' preprocessor, configured like the site's, with every include confined:
    a path outside the configured base folders is refused as such (pymdownx itself says only that
    it "could not be found"), and a file whose target, after symlinks, leaves the repository
    (`root`, the folder of mkdocs.yml) is refused, also when included from another snippet."""

    def __init__(self, config: dict | None = None, root: Path | None = None):
        # auto_append would add its files to every line expanded here; they hold no code anyway.
        config = {key: value for key, value in (config or {}).items() if key != "auto_append"}
        config["url_download"] = False  # an include never fetches from the network here
        md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": config})
        self._processor: Any = cast(Any, md.preprocessors["snippet"])  # pymdownx's SnippetPreprocessor, untyped
        bases = [base for base in self._processor.base_path]
        self.root = Path(root) if root is not None else _default_root(bases)
        self.bases = [Path(base) for base in bases]
        found_by_pymdownx = self._processor.get_snippet_path
        self._processor.get_snippet_path = lambda path: self._confined(path, found_by_pymdownx)

    def roots_text(self) -> str:
        shown = [base.relative_to(self.root).as_posix() + "/" if base.is_relative_to(self.root) else str(base)
                 for base in self.bases if base.is_dir()]
        return ", ".join(shown) or "none"

    def _confined(self, path: str, found_by_pymdownx) -> str | None:
        if path.lower().startswith(("https://", "http://")):
            raise SnippetRefused(f"'{path}' is a URL; includes are files under {self.roots_text()}")
        outside = [base for base in self.bases if base.is_dir()
                   and not Path(os.path.abspath(os.path.join(base, path))).is_relative_to(base)]
        if outside and len(outside) == len([base for base in self.bases if base.is_dir()]):
            raise SnippetRefused(f"'{path}' is outside the folders includes come from ({self.roots_text()}); "
                                 "move the file under one of them and include it by its path there")
        found = found_by_pymdownx(path)
        if found is not None and not paths.inside(Path(found), self.root):
            raise SnippetRefused(paths.symlink_message(Path(found), Path(os.path.realpath(found)), self.root,
                                 "includes"))
        return found

    def expand(self, line: str) -> list[str]:
        if not _SNIPPET.match(line) and "--8<--" not in line:
            return [line]
        self._processor.seen = set()
        self._processor.bases = None
        self._processor.failed = set()
        return self._processor.parse_snippets([line])


_BLOCK_SNIPPET = re.compile(r"^(?P<space>[ \t]*)-{1,}8<-{1,}[ \t]*$")


def block_includes(lines: list[str]) -> list[tuple[int, str, str]]:
    """The paths of block-form includes (`--8<--` alone on a line, paths, `--8<--`), as
    (index in `lines`, indentation, path); commented paths (`;path`) left out."""
    found, inside_block = [], False
    for index, line in enumerate(lines):
        marker = _BLOCK_SNIPPET.match(line)
        if marker:
            inside_block = not inside_block
            continue
        if inside_block and line.strip() and not line.strip().startswith(";"):
            found.append((index, line[: len(line) - len(line.lstrip())], line.strip()))
    return found


def parse_header(header: str, where: tuple[Path | str, int]) -> tuple[str, dict[str, str]]:
    """(language, options) of a fence's opening line (indent removed), read as SuperFences reads
    it, so that a fence the build would not recognise is an error here too. BlockError when the
    options cannot be read or are wrong (fences.option_problems, the build's own verdict)."""
    match = RE_NESTED_FENCE_START.match(header)
    if match is None or match.group("unrecognized"):
        rest = header.lstrip("`~").strip()
        raise BlockError(f"fence options cannot be read ({rest!r}): write key=\"value\" pairs with straight "
                         "double quotes, separated by spaces, e.g. ```bash project=\"my-project\"", *where)
    lang = match.group("lang") or ""
    values: dict[str, str] = {}
    if match.group("attrs") is not None:
        for key, value in get_attrs(match.group("attrs")):
            if key == ".":
                lang = lang or value
            elif key != "id":
                values[key] = key if value is None else value
    elif match.group("options"):
        for option in RE_OPTIONS.finditer(match.group("options")):
            key, value = option.group("key"), option.group("value")
            values[key] = key if value is None else value
    problems = option_problems(values, lang.lstrip(".").lower())
    if problems:
        raise BlockError(problems[0], *where)
    return lang.lstrip("."), {key: value for key, value in values.items() if not key.startswith("data-")}


def parse_options(text: str, where: tuple[Path | str, int]) -> dict[str, str]:
    """The options written after a fence's language (`project="x" title="y"` or `{.bash ...}`)."""
    return parse_header("```x " + text.strip() if not text.strip().startswith("{") else "```" + text.strip(), where)[1]


def page_language(path: Path) -> str:
    """`handout.fr.md` -> fr; `handout.md` -> en (the site's suffix convention)."""
    suffixes = Path(path).suffixes
    return suffixes[-2].lstrip(".") if len(suffixes) > 1 else "en"


def scan(path: Path, text: str, expander: SnippetExpander | None = None, display: str | None = None, *,
         kits: dict[str, Kit] | None = None, page_path: str = "", repo_url: str = "",
         errors: list[BlockError] | None = None) -> tuple[dict, list[Block]]:
    """Front matter and blocks of a page; `display` is the path used in messages, `page_path` the
    page relative to the docs folder (its first folder names the workshop of a `/// get-project`).

    Raises the first BlockError; with an `errors` list, a missing snippet or a fence whose options
    are wrong is added to it instead and the scan goes on (the checks report every one of them).
    Unreadable front matter and an unclosed fence still raise: nothing after them can be read."""

    def fail(err: BlockError) -> None:
        if errors is None:
            raise err
        errors.append(err)

    expander = expander or SnippetExpander()
    name = display or str(path)
    meta, lines, offset = split_front_matter(text, name)
    try:
        boxed = expand_kit_box(lines, kits or {}, page_path or str(path), page_language(path), repo_url)
    except KitError as err:
        at = int(str(err).split(":", 1)[0].removeprefix("line ")) + offset
        raise BlockError(str(err).split(": ", 1)[1], name, at) from None
    # Expand snippets line by line, remembering which page line each expanded line came from.
    expanded: list[tuple[str, int]] = []
    in_block = False  # inside a block-form include (`--8<--` alone, paths, `--8<--`)
    for line, index in boxed:
        number = index + offset + 1
        if _BLOCK_SNIPPET.match(line):
            in_block = not in_block
            continue
        if in_block:
            if not line.strip() or line.strip().startswith(";"):
                continue
            line = f'{line[: len(line) - len(line.lstrip())]}--8<-- "{line.strip()}"'
        try:
            expanded.extend((piece, number) for piece in expander.expand(line))
        except Exception as err:  # noqa: BLE001 - pymdownx raises its own SnippetMissingError, and others
            fail(BlockError(f"snippet cannot be included: {err}", name, number))
            expanded.append((line, number))
    default = meta.get("project")
    blocks, i = [], 0
    while i < len(expanded):
        line, number = expanded[i]
        match = FENCE_OPEN.match(line)
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
        try:
            lang, options = parse_header(line[len(indent):].strip(), (name, number))
        except BlockError as err:
            fail(err)
            i = end + 1
            continue
        body = [text[len(indent):] if text.startswith(indent) else text.lstrip() for text, _ in expanded[i + 1:end]]
        blocks.append(Block(Path(name), number, lang.lower(), "\n".join(body) + "\n", options,
                            options.get("project") or (default if isinstance(default, str) else None)))
        i = end + 1
    return meta, _step_checks(blocks, page_language(path), fail)


def _step_checks(blocks: list[Block], lang: str, fail) -> list[Block]:
    """Each `check` fence becomes the console block its "Check this step" box shows (`python
    check.py N` and its success line), numbered in page order; a bad one is reported at its line."""
    fences = [block for block in blocks if block.lang == CHECK_LANG]
    if not fences:
        return blocks
    seen: dict[str, int] = {}
    kept = []
    for block in blocks:
        if block.lang != CHECK_LANG:
            kept.append(block)
            continue
        check_id = block.options["id"].strip()
        if check_id in seen:
            fail(BlockError(f"check id \"{check_id}\" is already used at line {seen[check_id]}: each check of a page "
                            "has its own id", block.path, block.line))
            continue
        seen[check_id] = block.line
        try:
            conditions = parse_conditions(block.code)
        except StepCheckError as err:
            fail(BlockError(str(err), block.path, block.line + err.offset))
            continue
        step = StepCheck(check_id, block.options["title"].strip(), conditions, len(seen), len(fences), lang)
        options = {key: value for key, value in block.options.items() if key not in CHECK_OPTIONS}
        kept.append(Block(block.path, block.line, "console", transcript(step), options, block.project, step))
    return kept


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
    try:
        folder = paths.project_folder(examples, block.project)
        if block.title.strip() and block.path.suffix != ".ipynb":
            paths.project_file(folder, block.title, f"title=\"{block.title.strip()}\"", base=examples.parent)
    except paths.PathRefused as err:
        raise BlockError(str(err), block.path, block.line) from None
    if not folder.is_dir():
        raise BlockError(f"project '{block.project}' does not exist: there is no examples/{block.project}/",
                         block.path, block.line)
    _check_background(block)
    if block.lang in ("console", "pycon") and block.path.suffix != ".ipynb":
        from .console import parse_steps

        prompt = "$ " if block.lang == "console" else ">>> "
        if not parse_steps(block.lang, block.code):
            raise BlockError(f"this {block.lang} block has no '{prompt}' line, so the tests would run nothing: start "
                             f"each command with '{prompt}' (its output beneath), or make it a "
                             f"{'bash' if block.lang == 'console' else 'python'} block", block.path, block.line)


def _check_background(block: Block) -> None:
    """A shell command sent to the background with `&` outlives its block unless the block waits
    for it: refused at its line, as the runner would refuse it (blocks/run.py)."""
    from .shell import unwaited_background

    if block.options.get("serves") or block.lang not in SHELL:
        return
    lines = block.code.splitlines()
    commands = [line[2:] if block.lang == "console" and line.startswith(("$ ", "> ")) else line for line in lines
                if block.lang != "console" or line.startswith(("$ ", "> "))]
    found = unwaited_background("\n".join(commands))
    if found is None:
        return
    command = commands[found - 1]
    offset = next(number for number, line in enumerate(lines, 1) if line.endswith(command))
    raise BlockError(f"`{command.strip()}` runs in the background with `&` and the block never waits for it: it "
                     "would outlive the block; wait for it in the same block (`wait`), or, for a server the next "
                     "blocks use, give the block serves=\"<url it answers on>\"", block.path, block.line + offset)


def check_meta(path: Path, meta: dict, examples: Path) -> None:
    """The front matter's `project:` names a folder under examples/ and the scripts its `setup:`
    runs lie in that project; BlockError at the key's line otherwise."""
    lines = getattr(meta, "lines", {})
    project = meta.get("project")
    if isinstance(project, str) and project.strip():
        try:
            folder = paths.project_folder(examples, project.strip())
        except paths.PathRefused as err:
            raise BlockError(str(err), path, lines.get("project", 2)) from None
        setup = meta.get("setup")
        if isinstance(setup, str):
            problem = paths.setup_problem(setup, folder, base=examples.parent)
            if problem:
                raise BlockError(problem, path, lines.get("setup", 2))


def _setup_leaves(setup: str) -> str | None:
    """A script `setup:` runs by a path that leaves the project copy, read without the files."""
    import posixpath

    for script in paths.setup_scripts(setup):
        normal = posixpath.normpath(script.replace("\\", "/"))
        if script.startswith(("/", "~")) or normal == ".." or normal.startswith("../"):
            return (f"setup: runs '{script}', which is outside the project; put the script in the project "
                    "and run it by its path inside it")
    return None


def sessions(path: Path, meta: dict, blocks: list[Block], kits: dict[str, Kit] | None = None) -> list[Session]:
    """Runnable blocks grouped per project, in page order. The runner receives no path that leaves
    its root: a block's project and title were confined by `check`, the setup's scripts here."""
    setup = meta.get("setup")
    if isinstance(setup, str) and any(block.skip is None and block.project for block in blocks):
        problem = _setup_leaves(setup)
        if problem:
            raise BlockError(problem, path, getattr(meta, "lines", {}).get("setup", 2))
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
        checked = next((block for block in items if block.step is not None), None)
        if checked is not None and kit is None:
            raise BlockError("a step check belongs on a handout that starts with the \"Get the project\" box "
                             "(/// get-project): its starter zip ships check.py", checked.path, checked.line)
        found.append(Session(path, project, items, meta.get("setup"), kit))
    with_checks = [session for session in found if any(block.step for block in session.blocks)]
    if len(with_checks) > 1:
        second = next(block for block in with_checks[1].blocks if block.step)
        raise BlockError(f"step checks of a page belong to one kit: this page's first checks are in the session of "
                         f"project '{with_checks[0].project}', this one is in that of '{with_checks[1].project}'",
                         second.path, second.line)
    return found
