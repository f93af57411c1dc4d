"""An MkDocs hook: each page gets the abbreviation tooltips of its own language.

`pymdownx.snippets` appends `auto_append` (in `mkdocs.yml`: `abbreviations.md`, in English) to
every page, and the `abbr` extension keeps the last definition of an abbreviation, so a French
page cannot override the English tooltips by including its own. MkDocs builds a new Markdown
converter for every page from `config.mdx_configs`, after `on_page_markdown`: this hook swaps the
appended file for the page's language (`abbreviations.fr.md` for a French page, when it exists
beside the English one) just before the page is converted, and restores the setting after.

Used by `mkdocs.yml` (`hooks: [snippets/abbreviations_i18n.py]`); tested in
tests/checks/test_terminology_abbreviations.py.
"""

from __future__ import annotations

from pathlib import Path

SNIPPETS = "pymdownx.snippets"
ENGLISH = "abbreviations.md"

_saved: dict[int, list] = {}


def page_locale(page) -> str:
    """The page's language: mkdocs-static-i18n's `file.locale`, else the file name's suffix."""
    locale = getattr(page.file, "locale", None)
    if locale:
        return str(locale)
    suffixes = Path(page.file.src_uri).suffixes
    return suffixes[-2].lstrip(".") if len(suffixes) >= 2 else ""


def localized(name: str, locale: str) -> str:
    """`abbreviations.md` -> `abbreviations.fr.md`."""
    path = Path(name)
    return str(path.with_name(f"{path.stem}.{locale}{path.suffix}"))


def unlocalized(name: str) -> str:
    """`abbreviations.fr.md` -> `abbreviations.md` (a setting left by a page that failed to render)."""
    path = Path(name)
    parts = path.name.split(".")
    if len(parts) == 3 and parts[0] == Path(ENGLISH).stem and parts[2] == "md":
        return str(path.with_name(ENGLISH))
    return name


def _base_paths(config) -> list[Path]:
    settings = (config.get("mdx_configs") or {}).get(SNIPPETS) or {}
    base = settings.get("base_path", ["."])
    root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    return [root / path for path in ([base] if isinstance(base, str) else base)]


def appended_for(config, locale: str) -> list[str] | None:
    """The auto_append list for a page in `locale`, or None when nothing changes."""
    settings = (config.get("mdx_configs") or {}).get(SNIPPETS)
    if not settings:
        return None
    current = list(settings.get("auto_append") or [])
    changed = []
    for name in current:
        name = unlocalized(name)
        if locale and Path(name).name == ENGLISH:
            translated = localized(name, locale)
            if any((base / translated).is_file() for base in _base_paths(config)):
                name = translated
        changed.append(name)
    return changed if changed != current else None


def on_page_markdown(markdown, page, config, files, **kwargs):
    changed = appended_for(config, page_locale(page))
    if changed is not None:
        settings = config["mdx_configs"][SNIPPETS]
        _saved[id(page)] = settings.get("auto_append")
        settings["auto_append"] = changed
    return markdown


def on_page_content(html, page, config, files, **kwargs):
    if id(page) in _saved:
        config["mdx_configs"][SNIPPETS]["auto_append"] = _saved.pop(id(page))
    return html
