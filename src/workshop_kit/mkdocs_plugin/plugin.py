"""The `workshop` MkDocs plugin: thin wiring around the Markdown extensions.

All parsing and validation lives in the extensions (usable with plain Python-Markdown); this
module only validates options, registers the extensions, points them at the page being rendered,
reports problems through MkDocs' logger (so `--strict` fails on them) and ships the assets.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..blocks.checkpoints import checkpoints
from ..blocks.index import kit_sessions_of_site
from ..blocks.page_text import unreadable_page
from ..checks.alignment import translation_identities
from ..checks.page import BuildChecks, front_matter_offset
from ..checks.run import site_file_problems
from ..extensions.checklist import DEFAULT_MARKERS, ChecklistExtension
from ..extensions.fences import FencesExtension
from ..extensions.i18n import default_language, language_of
from ..extensions.kit_box import DOWNLOADS, KitBoxExtension, notebook_box_html
from ..extensions.source import SourcePage
from ..extensions.speaker_notes import SpeakerNoteExtension
from ..extensions.timing.extension import TimingExtension, timing_openings
from ..kit.archive import solution_zip, starter_zip
from ..kit.config import KitError, parse_kits
from ..notebook_meta import notebook_workshop_meta
from ..paths import published_from_outside
from .alternate_links import alternates_to_twins, relative_alternates, twin_source
from .asset_text import compact
from .notebook_pages import rewrap_notebooks
from .page_head import add_to_head
from .past_runs import annotate as annotate_past_runs
from .sheet_page import decorate_sheet, is_sheet, mark_speaker_links

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).parents[1] / "assets"
ASSET_DEST = "assets/workshop-kit"


class ChecklistOptions(base.Config):
    markers = c.ListOfItems(c.Type(str), default=list(DEFAULT_MARKERS))
    storage_prefix = c.Type(str, default="")


class TimingOptions(base.Config):
    clock = c.Choice(["24h", "12h"], default="24h")


class BlockOptions(base.Config):
    examples_dir = c.Type(str, default="examples")
    # Where readers can browse the example projects; empty: `repo_url` + /tree/main/examples.
    examples_url = c.Type(str, default="")


class WorkshopConfig(base.Config):
    checklists = c.SubConfig(ChecklistOptions)
    timing = c.SubConfig(TimingOptions)
    blocks = c.SubConfig(BlockOptions)
    # Workshop folder -> {project, writes, omits, git}: the starter and solution downloads (kit/).
    kits = c.Type(dict, default={})


class WorkshopPlugin(BasePlugin[WorkshopConfig]):
    def __init__(self) -> None:
        self.page = SourcePage()
        self._asset_dir: Path | None = None
        self.kits: dict = {}
        self._site_files_checked = False
        self._unreadable: set[str] = set()  # reported once, though mkdocs-static-i18n builds each language
        self._speaker_urls: set[str] = set()  # speaker sheets: in the speaker view's navigation only
        # The page being rendered: its checklist items' source items, if a translation.
        self._identities: list[dict | None] | None = None

    def on_shutdown(self) -> None:
        if self._asset_dir is not None:
            shutil.rmtree(self._asset_dir, ignore_errors=True)
            self._asset_dir = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for marker in self.config.checklists.markers:
            if not marker.isidentifier() or not marker.isupper():
                raise c.ValidationError(
                    f"workshop.checklists.markers: '{marker}' must be one upper-case word such as INTERACTIVE"
                )
        self.page.lang = language_of(config.theme.get("language"))
        # mkdocs-static-i18n runs on_config again for each language: never register twice.
        # MkDocs types the list as names; Python-Markdown takes extension instances too.
        extensions: list = config.markdown_extensions
        extensions[:] = [
            ext for ext in extensions
            if not isinstance(ext, (TimingExtension, ChecklistExtension, FencesExtension, KitBoxExtension,
                                    SpeakerNoteExtension))
        ]
        try:
            self.kits = parse_kits(self.config.kits)
        except KitError as err:  # a PluginError: MkDocs prints it without a traceback
            raise PluginError(str(err)) from None
        root = Path(config.config_file_path).parent
        self.examples = root / self.config.blocks.examples_dir
        for kit in self.kits.values():
            if not (self.examples / kit.project).is_dir():
                raise PluginError(f"workshop.kits.{kit.workshop}: there is no {self.config.blocks.examples_dir}/"
                                  f"{kit.project}/ to start from")
        examples_url = self.config.blocks.examples_url
        if not examples_url and config.repo_url:
            examples_url = config.repo_url.rstrip("/") + "/tree/main/examples/"
        self._fences = FencesExtension(page=self.page, examples_url=examples_url,
                                       examples_dir=str(root / self.config.blocks.examples_dir))
        extensions.extend([
            KitBoxExtension(kits=self.kits, repo_url=config.repo_url or "", page=self.page, reporter=self._report),
            # Their problems are logged by self.checks (the page checks of `workshop check`), with file lines.
            TimingExtension(page=self.page, clock=self.config.timing.clock, reporter=lambda problem, page: None),
            ChecklistExtension(page=self.page, markers=self.config.checklists.markers,
                               reporter=lambda message, page: None, identities=lambda page: self._identities),
            self._fences,
            SpeakerNoteExtension(),
        ])
        if f"{ASSET_DEST}/workshop.css" not in config.extra_css:
            config.extra_css.append(f"{ASSET_DEST}/workshop.css")
        if not any(str(script) == f"{ASSET_DEST}/workshop.js" for script in config.extra_javascript):
            # The entry module imports the others itself; sheet.js only on a page with a speaker sheet.
            script = c.ExtraScriptValue(f"{ASSET_DEST}/workshop.js")
            script.type = "module"
            config.extra_javascript.append(script)
        # `workshop check`'s page checks, on every page built: one verdict (checks/page.py).
        self.checks = BuildChecks(config.config_file_path)
        return config

    def _add_assets(self, files: Files, config: MkDocsConfig) -> Files:
        # Written to files, not passed as content: mkdocs-static-i18n reads every file's source path.
        if self._asset_dir is None:
            self._asset_dir = Path(tempfile.mkdtemp(prefix="workshop-kit-assets-"))
        for path in sorted(ASSETS.iterdir()):
            if path.suffix in (".css", ".js"):
                shipped = self._asset_dir / path.name
                shipped.write_text(compact(path.read_text(encoding="utf-8"), path.suffix), encoding="utf-8")
                files.append(File.generated(config, f"{ASSET_DEST}/{path.name}", abs_src_path=str(shipped)))
        return files

    @event_priority(-110)  # after mkdocs-static-i18n, which runs at -100
    def _rewrap_notebooks(self, files: Files, config: MkDocsConfig) -> Files:
        return rewrap_notebooks(files, config)

    def _add_kits(self, files: Files, config: MkDocsConfig) -> Files:
        """Each kit's `<kit>-starter.zip`, `<kit>-step-N.zip` per step check of its handout and,
        when it differs (`Kit.offers_solution`), `<kit>-solution.zip`, in the site's downloads
        folder: a page linking a solution that is not offered fails the strict build's link check."""
        if self._asset_dir is None:
            self._asset_dir = Path(tempfile.mkdtemp(prefix="workshop-kit-assets-"))
        sessions = kit_sessions_of_site(Path(config.config_file_path), self.examples) if self.kits else {}
        for kit in self.kits.values():
            session = sessions.get(kit.workshop)
            extra = session.kit_files if session is not None else None
            zips = {kit.starter_name: starter_zip(kit, self.examples, extra)}
            if kit.offers_solution:
                zips[kit.solution_name] = solution_zip(kit, self.examples)
            # One checkpoint per step (issue 26 §2): what `check.py --catch-up N` replays.
            zips.update(checkpoints(session, self.examples) if session is not None else {})
            for name, data in zips.items():
                shipped = self._asset_dir / f"{name}.zip"
                shipped.write_bytes(data)
                files.append(File.generated(config, f"{DOWNLOADS}/{name}.zip", abs_src_path=str(shipped)))
        return files

    def _drop_unreadable_pages(self, files: Files, config: MkDocsConfig) -> Files:
        """A page MkDocs (or mkdocs-jupyter) could not read would stop the build with a traceback:
        it is reported at its line, as `workshop check` reports it, and left out of the build, so
        `--strict` fails on the report instead."""
        docs = Path(config.docs_dir)
        root = Path(config.config_file_path).parent
        for file in list(files):
            # A symlink under docs/ whose target leaves the repository: reported by the `paths`
            # check, and never copied into the site.
            if published_from_outside(file.abs_src_path, docs, root):
                files.remove(file)
                if file.src_uri.endswith((".md", ".ipynb")):  # its page problems, as `workshop check` says them
                    self.checks.report(docs / file.src_uri, log)
                continue
            if not file.src_uri.endswith((".md", ".ipynb")) or not file.abs_src_path:
                continue
            err = unreadable_page(Path(file.abs_src_path), f"{docs.name}/{file.src_uri}")
            if err is None:
                continue
            files.remove(file)
            if file.abs_src_path in self._unreadable:
                continue
            self._unreadable.add(file.abs_src_path)
            if not any(p.severity == "error" for p in self.checks.problems(docs / file.src_uri)):
                log.warning("%s: blocks: %s", f"{err.path}:{err.line}", err.message)
            self.checks.report(docs / file.src_uri, log)
        return files

    on_files = CombinedEvent(_drop_unreadable_pages, _add_assets, _add_kits, _rewrap_notebooks)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        source = page.file.abs_src_path  # None only for a page another plugin generated from text
        if source:
            self.checks.report(source, log)  # errors as warnings: --strict fails
        if page.file.src_uri.endswith(".ipynb"):
            return markdown  # mkdocs-jupyter hands other plugins the raw notebook JSON
        markdown = self.checks.safe_markdown(markdown)  # a missing --8<-- file: reported above, no traceback
        self.page.path = page.file.src_uri
        self.page.lang = language_of(getattr(page.file, "locale", None) or config.theme.get("language"))
        self.page.line_offset = front_matter_offset(source) if source else 0  # right under mkdocs-static-i18n too
        self.page.project = page.meta.get("project")
        self.page.url = page.url
        self.page.timing_lines = timing_openings(markdown)
        self._identities = translation_identities(self.checks.checker, Path(source)) if source else None
        return markdown

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The checks of what is not a page (a secret in an example project, say), once per build
        (mkdocs-static-i18n builds each language), so the build refuses what `workshop check` does."""
        if self._site_files_checked or "secrets" not in self.checks.only:
            return
        self._site_files_checked = True
        for problem in site_file_problems(self.checks.checker.site):
            log.log(logging.WARNING if problem.severity == "error" else logging.INFO, problem.text)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.abs_src_path:  # raw syntax left on the page as the build made it (a second net)
            self.checks.published(page.file.abs_src_path, html, log)
        # Past runs of the workshop (runs/<workshop>/*.json): the speaker's "planned · past (p80)" per row.
        html = annotate_past_runs(html, page.file.src_uri, Path(config.config_file_path).parent, log)
        lang = language_of(getattr(page.file, "locale", None) or config.theme.get("language"))
        if is_sheet(html):
            self._speaker_urls.add(page.url)
        return decorate_sheet(html, page, lang)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        site_path = urlsplit(config.site_url or "/").path or "/"
        output = relative_alternates(output, page.url, site_path)
        output = mark_speaker_links(output, page.url, self._speaker_urls)
        lang = language_of(getattr(page.file, "locale", None) or config.theme.get("language"))
        if page.file.src_uri.endswith(".ipynb"):
            default = default_language(config)
            docs = Path(config.docs_dir)

            def has_twin(to_lang: str) -> bool:
                return (docs / twin_source(page.file.src_uri, lang, to_lang, default)).is_file()

            output = alternates_to_twins(output, page.url, lang, default, has_twin)
            output = self._notebook_origin(output, page, lang)
            output = self._notebook_kit(output, page, lang)
        return add_to_head(output, page.url, lang, self.config.checklists.storage_prefix)

    def _notebook_origin(self, output: str, page: Page, lang: str) -> str:
        """A notebook page says, like every code block, where the tests run it (or why not)."""
        if not page.file.abs_src_path:
            return output
        try:
            meta = notebook_workshop_meta(json.loads(Path(page.file.abs_src_path).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return output
        self.page.lang, self.page.project = lang, None
        options = {"skip": meta["skip"]} if meta.get("skip") else {"project": meta.get("project")}
        note = self._fences.origin(options, "python")
        opening = '<article class="md-content__inner md-typeset">'
        return output.replace(opening, opening + note, 1) if note else output

    def _notebook_kit(self, output: str, page: Page, lang: str) -> str:
        """A notebook page starts, like its handout, with where to get the project it runs in."""
        kit = self.kits.get(page.file.src_uri.split("/", 1)[0])
        if kit is None or not page.file.abs_src_path:
            return output
        source = Path(page.file.abs_src_path)
        name = source.resolve().name if source.is_symlink() else source.name
        up = "../" * page.url.count("/")
        handout = (source.parent / "handout.md").is_file()
        box = notebook_box_html(kit, lang, f"{up}{DOWNLOADS}/{kit.starter_name}.zip", name,
                                "../handout/" if handout else "")
        opening = '<article class="md-content__inner md-typeset">'
        return output.replace(opening, opening + box, 1)

    def _report(self, message: str, page: SourcePage) -> None:
        log.warning(message)
