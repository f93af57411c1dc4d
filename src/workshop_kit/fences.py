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
from pathlib import Path

from markdown import Extension
from pymdownx.superfences import SuperFencesException, highlight_validator

from .i18n import translate
from .source import SourcePage

BINDING_KEYS = ("project", "skip", "serves", "kit")  # read by the test runner, never by the highlighter
# Skip reasons that say what the reader's own set-up needs; other reasons concern the tests only.
READER_HINTS = ("needs ", "requires ", "nécessite ", "demande ", "il faut ")


def reader_hint(reason: str) -> bool:
    return reason.lower().startswith(READER_HINTS)


def validator(language, inputs, options, attrs, md) -> bool:
    """Moves `project`/`skip` into options; everything else is checked like a plain fence."""
    rest = dict(inputs)
    for key in BINDING_KEYS:
        if key in rest:
            value = rest.pop(key)
            if value is True or not str(value).strip():
                raise SuperFencesException(f"fence option '{key}' needs a value, e.g. {key}=\"...\"")
            options[key] = str(value)
    if "project" in options and "skip" in options:
        raise SuperFencesException("a fence has either project=\"...\" (it runs) or skip=\"...\" (why not), not both")
    md.preprocessors["fenced_code_block"].get_hl_settings()
    okay = highlight_validator(language, rest, options, attrs, md)
    if attrs:
        unknown = ", ".join(sorted(attrs))
        raise SuperFencesException(
            f"unknown fence option(s) {unknown} on a '{language}' fence; "
            f"known: {', '.join(BINDING_KEYS)}, title, hl_lines, linenums"
        )
    return okay


def formatter(src, language, class_name, options, md, **kwargs) -> str:
    """Default highlighting, without the binding keys the highlighter does not know."""
    highlight_options = {k: v for k, v in options.items() if k not in BINDING_KEYS}
    code = md.preprocessors["fenced_code_block"].highlight(
        src=src, language=language, options=highlight_options, md=md, **kwargs
    )
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
        project = options.get("project") or page.project
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
