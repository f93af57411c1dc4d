"""What the checks need to know about a site, read from its mkdocs.yml without running MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import WorkshopKitError
from ..extensions.checklist import DEFAULT_MARKERS
from ..kit.config import Kit, KitError, kits_from_config
from ..site_config import load_config, snippet_settings


class SiteConfigError(WorkshopKitError):
    """mkdocs.yml is missing or unreadable: nothing else can be checked."""


@dataclass
class Site:
    root: Path
    config_file: Path
    docs: Path
    examples: Path
    snippets: dict
    default_lang: str = "en"
    languages: list[str] = field(default_factory=lambda: ["en"])
    markers: list[str] = field(default_factory=lambda: list(DEFAULT_MARKERS))
    extensions: list[str | dict] = field(default_factory=list)
    kits: dict[str, Kit] = field(default_factory=dict)
    repo_url: str = ""

    def relative(self, path: Path) -> Path:
        return path.relative_to(self.root) if path.is_relative_to(self.root) else path

    def pages(self) -> list[Path]:
        """Every Markdown page and notebook under docs/, sorted."""
        return sorted([*self.docs.rglob("*.md"), *self.docs.rglob("*.ipynb")])

    def lang_of(self, page: Path) -> str:
        suffixes = page.suffixes
        if len(suffixes) > 1 and suffixes[-2].lstrip(".") in self.languages:
            return suffixes[-2].lstrip(".")
        return self.default_lang

    def source_of(self, page: Path) -> Path:
        """The default-language page a translation is made from (itself for a source page)."""
        lang = self.lang_of(page)
        if lang == self.default_lang:
            return page
        return page.with_name(page.name.replace(f".{lang}{page.suffix}", page.suffix))

    def translation(self, page: Path, lang: str) -> Path:
        return page.with_name(page.name[: -len(page.suffix)] + f".{lang}{page.suffix}")


def _plugin_options(plugins, name: str) -> dict | None:
    for entry in plugins or []:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    return None


def read_site(root: Path, config_file: Path | None = None) -> Site:
    config_file = config_file or root / "mkdocs.yml"
    if not config_file.is_file():
        raise SiteConfigError(f"{config_file}: no mkdocs.yml here; run the command from the site's folder "
                              "or pass the folder as PATH")
    try:
        config = load_config(config_file)
    except yaml.YAMLError as err:
        raise SiteConfigError(f"{config_file}: not valid YAML: {err}") from None
    site = Site(root=root, config_file=config_file, docs=root / config.get("docs_dir", "docs"),
                examples=root / "examples", snippets=snippet_settings(config, root),
                extensions=list(config.get("markdown_extensions") or []))
    i18n = _plugin_options(config.get("plugins"), "i18n")
    if i18n is not None:
        # A language without a locale is mkdocs-static-i18n's to refuse; it is left out here.
        entries = [lang for lang in i18n.get("languages") or [] if isinstance(lang, dict)
                   and isinstance(lang.get("locale"), str)]
        languages: list[str] = [lang["locale"] for lang in entries]
        default: str = next((lang["locale"] for lang in entries if lang.get("default")),
                            languages[0] if languages else "en")
        site.default_lang, site.languages = default, [default] + [lang for lang in languages if lang != default]
    workshop = _plugin_options(config.get("plugins"), "workshop") or {}
    blocks = workshop.get("blocks") or {}
    site.examples = root / blocks.get("examples_dir", "examples")
    site.markers = list((workshop.get("checklists") or {}).get("markers") or DEFAULT_MARKERS)
    try:
        site.kits = kits_from_config(config)
    except KitError as err:
        raise SiteConfigError(f"{config_file}: {err}") from None
    repo_url = config.get("repo_url")
    site.repo_url = repo_url if isinstance(repo_url, str) else ""
    return site
