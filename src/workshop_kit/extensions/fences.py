"""SuperFences hooks that let every code fence say where it is tested, or why it is not.

    ```bash project="pokemon-dvc"
    dvc repro
    ```

    ```bash skip="needs an OVHcloud account"
    ovhai job run ...
    ```

    ```bash serves="http://127.0.0.1:5001/health"
    python serve.py --port 5001
    ```

Registered as SuperFences' catch-all custom fence (`name: "*"`) so highlighting stays the default
one; the binding is kept out of the highlighter's options and is read by the test collector.
With `FencesExtension` loaded, each block also says under it where it is tested ("Tested in
examples/pokemon-dvc") or why it is not ("Not run in CI: ..."), in the page's language.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor
from pymdownx.superfences import RE_HL_LINES, RE_LINENUMS, highlight_validator

from ..kit.step_checks import CHECK_LANG, StepCheck, transcript
from ..kit.step_checks import option_problems as check_option_problems
from .i18n import translate
from .source import SourcePage
from .transcript import copy_text

BINDING_KEYS = ("project", "skip", "serves", "kit")  # read by the test runner, never by the highlighter
HIGHLIGHT_KEYS = ("title", "hl_lines", "linenums")
KNOWN_OPTIONS = BINDING_KEYS + HIGHLIGHT_KEYS
# Skip reasons that say what the reader's own set-up needs; other reasons concern the tests only.
READER_HINTS = ("needs ", "requires ", "nécessite ", "demande ", "il faut ")
_VALUE_FORMS = {
    "hl_lines": (RE_HL_LINES, 'line numbers and ranges such as hl_lines="1 3-5"'),
    "linenums": (RE_LINENUMS, "the first line number (then optionally the step and a special line), "
                              'such as linenums="1"'),
}

# What the runner probes for a server: a URL on this machine only (never a file:// or remote one).
_LOCAL_URL = re.compile(r"https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?(?:/[^\s\"'<>]*)?")


def reader_hint(reason: str) -> bool:
    return reason.lower().startswith(READER_HINTS)


def option_problems(options: dict, lang: str = "") -> list[str]:
    """What is wrong with a fence's options, in the words of `workshop check` and the build alike.

    `options` maps each key to its value as SuperFences reads it (a key written without `="..."`
    has itself as value). `data-*` attributes (attribute-list form, `{.python data-copy="..."}`)
    are allowed, as SuperFences passes them on to the HTML with `attr_list`.
    """
    if lang == CHECK_LANG:
        return check_option_problems(options)
    problems = []
    for key, value in options.items():
        if str(key).startswith("data-"):
            continue
        if key not in KNOWN_OPTIONS:
            problems.append(f"unknown fence option '{key}'; known: {', '.join(sorted(KNOWN_OPTIONS))} "
                            "(and data-* attributes in the {.lang ...} form)")
            continue
        if value is True or value == key and key != "title":
            problems.append(f"fence option '{key}' needs a value: write {key}=\"...\"")
            continue
        text = str(value)
        if key in BINDING_KEYS and not text.strip():
            what = "a reason a reader understands" if key == "skip" else "a value"
            problems.append(f"fence option {key}=\"{text}\" is empty: it needs {what}, e.g. {key}=\"...\"")
        elif key == "serves" and not _LOCAL_URL.fullmatch(text.strip()):
            problems.append(f"fence option serves=\"{text}\" must be the http:// URL on this machine where the "
                            "server answers (127.0.0.1 or localhost), e.g. serves=\"http://127.0.0.1:5000/health\"")
        elif key in _VALUE_FORMS and not _VALUE_FORMS[key][0].fullmatch(text.strip()):
            problems.append(f"fence option {key}=\"{text}\" has an invalid value: give {_VALUE_FORMS[key][1]}")
    if "project" in options and "skip" in options:
        problems.append("a fence has either project=\"...\" (it runs) or skip=\"...\" (why not), not both")
    return problems


def validator(language, inputs, options, attrs, md) -> bool:
    """Moves the bindings into options and lets the highlighter read the rest; never raises.

    A fence whose options are wrong is still rendered (as plain highlighted code, without the
    wrong options): `workshop check` and the build's page check (checks/page.py) report it with
    its file and line, from the same `option_problems`, and fail.
    """
    rest = dict(inputs)
    problems = option_problems(rest, language)
    md.workshop_fence_problems = getattr(md, "workshop_fence_problems", []) + problems
    if language == CHECK_LANG:  # a step check: its id and title are the box's, nothing is highlighted
        options.update({key: str(value) for key, value in rest.items() if key in ("id", "title") and value is not True})
        return True
    for key in BINDING_KEYS:
        if key in rest:
            value = rest.pop(key)
            if value is not True and str(value).strip():
                options[key] = str(value)
    if "project" in options and "skip" in options:
        options.pop("project")
    md.preprocessors["fenced_code_block"].get_hl_settings()
    for key in list(rest):
        if key in _VALUE_FORMS and (rest[key] is True or not _VALUE_FORMS[key][0].fullmatch(str(rest[key]).strip())):
            rest.pop(key)  # reported above; rendered without it
    highlight_validator(language, rest, options, attrs, md)
    for key in list(attrs):
        if not key.startswith("data-"):
            attrs.pop(key)  # reported above; rendered without it
    return True


_FIRST_DIV = re.compile(r"^(\s*<div\b)")


def with_copy_text(code_html: str, text: str) -> str:
    """`data-copy` on the block's outer element: Material's copy button copies the text of the
    nearest `[data-copy]` around the code instead of the code's own text."""
    attribute = html.escape(text, quote=True).replace("\n", "&#10;")
    return _FIRST_DIV.sub(lambda m: f'{m.group(1)} data-copy="{attribute}"', code_html, count=1)


_CHECK_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:check\b|\{[ \t]*\.check\b)")


_KIT_FENCE = re.compile(r'^[ \t]*(?:`{3,}|~{3,}).*\bkit="(?P<kit>[A-Za-z0-9][A-Za-z0-9._-]*)"')


class _CountChecks(Preprocessor):
    """Before the fences are read: how many step checks the page has (each box says "Step N/T"),
    and the kit its "Get the project" box offers (each box links that kit's checkpoint)."""

    md: Any  # a Markdown that carries the count to check_box, as workshop_checks

    def run(self, lines):
        kit = next((found["kit"] for line in lines if (found := _KIT_FENCE.match(line))), "")
        self.md.workshop_checks = {"total": sum(1 for line in lines if _CHECK_FENCE.match(line)), "seen": 0,
                                   "kit": kit}
        return lines


def catch_up_line(kit: str, number: int, lang: str, page: SourcePage) -> str:
    """The box's last line: the step's checkpoint and the command that catches up to it."""
    from ..kit.step_checks import catch_up_command
    from .kit_box import DOWNLOADS, download_link

    name = f"{kit}-step-{number}.zip"
    href = "../" * page.url.count("/") + f"{DOWNLOADS}/{name}" if page.url else download_link(page.path, name)
    link = f'<a href="{html.escape(href, quote=True)}">{html.escape(name)}</a>'
    command = f"<code>{html.escape(catch_up_command(lang, number))}</code>"
    # The sentence translated with markers, escaped, then the markers replaced by the link and the code.
    text = html.escape(translate("check.catch_up", lang, zip="\x00zip\x00", command="\x00command\x00"), quote=False)
    text = text.replace("\x00zip\x00", link).replace("\x00command\x00", command)
    return f'<p class="wk-check-catch-up">{text}</p>'


def check_box(src: str, options: dict, md, **kwargs) -> str:
    """A `check` fence as the page shows it: a "Check this step" box whose console block runs
    `python check.py N` and shows its success line (kit/step_checks.py; the runner runs it too).
    A fence with bad options or conditions still renders; the checks report it at its line."""
    counts = getattr(md, "workshop_checks", None) or {"total": 1, "seen": 0, "kit": ""}
    counts["seen"] += 1
    links: FencesExtension | None = getattr(md, "workshop_fences", None)
    lang = links.getConfig("page").lang if links else "en"
    check_id = str(options.get("id", "")).strip()
    step = StepCheck(check_id, str(options.get("title", "")).strip(), (), counts["seen"],
                     max(counts["total"], counts["seen"]), lang)
    console = transcript(step)
    code = md.preprocessors["fenced_code_block"].highlight(src=console, language="console", options={}, md=md,
                                                           **kwargs)
    code = with_copy_text(code, copy_text("console", console) or "")  # never None for console
    anchor = f' id="{html.escape(step.anchor, quote=True)}"' if check_id else ""
    catch_up = catch_up_line(counts["kit"], step.number, lang, links.getConfig("page")) \
        if links and counts.get("kit") else ""
    return (f'<div class="admonition success wk-check"{anchor}>'
            f'<p class="admonition-title">{html.escape(translate("check.title", lang))}</p>'
            f'<p>{html.escape(translate("check.run", lang))}</p>{code}'
            f'<p>{html.escape(translate("check.after", lang))}</p>{catch_up}</div>')


def formatter(src, language, class_name, options, md, **kwargs) -> str:
    """Default highlighting, without the binding keys the highlighter does not know; a `console`
    or `pycon` block's copy button gives its commands alone (`transcript.copy_text`); a `check`
    fence is its step's box."""
    if language == CHECK_LANG:
        return check_box(src, options, md, **kwargs)
    highlight_options = {k: v for k, v in options.items() if k not in BINDING_KEYS}
    code = md.preprocessors["fenced_code_block"].highlight(
        src=src, language=language, options=highlight_options, md=md, **kwargs
    )
    copied = copy_text(language, src)
    if copied is not None:
        code = with_copy_text(code, copied)
    links: FencesExtension | None = getattr(md, "workshop_fences", None)
    return code + (links.origin(options, language) if links else "")


class FencesExtension(Extension):
    """Tells each fence's formatter which page it is on, so it can say where the block is tested."""

    def __init__(self, **kwargs):
        self.config = {
            "page": [SourcePage(), "the page being rendered (its language and default project)"],
            "examples_dir": ["examples", "folder of the example projects, to link a titled block to its file"],
            "examples_url": ["", "URL of that folder in the repository; empty: name the project without a link"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.workshop_fences = self
        md.registerExtension(self)
        md.preprocessors.register(_CountChecks(md), "workshop_count_checks", 29)  # after snippets (32)

    def origin(self, options: dict, language: str) -> str:
        """The note under a block. "Tested in" / "Not run in CI" are for authors and speakers (shown in
        the speaker view); a participant sees only a skip reason that tells them something about their
        own set-up ("needs an OVHcloud account"), as a neutral hint."""
        page: SourcePage = self.getConfig("page")
        if "skip" in options:
            reason = str(options["skip"]).strip()
            text = html.escape(translate("blocks.not_run", page.lang, reason=reason))
            note = f'<p class="wk-block-origin wk-block-origin--skipped">{text}</p>'
            if reader_hint(reason):
                hint = html.escape(reason[0].upper() + reason[1:])
                note += f'<p class="wk-block-hint">{hint}</p>'
            return note
        project = options.get("project") or (page.project if isinstance(page.project, str) else None)
        if not project:
            return ""  # the test collector reports the block; the page stays readable
        target = f"examples/{project}"
        title = str(options.get("title", "")).strip()
        if title and (Path(self.getConfig("examples_dir")) / project / title).is_file():
            target = f"{target}/{title}"
        label = html.escape(translate("blocks.tested_in", page.lang, project=target))
        base = self.getConfig("examples_url")
        if base:
            href = html.escape(base.rstrip("/") + "/" + target.removeprefix("examples/"), quote=True)
            label = f'<a href="{href}">{label}</a>'
        return f'<p class="wk-block-origin">{label}</p>'
