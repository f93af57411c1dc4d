"""Read a site's mkdocs.yml without running MkDocs: for the checks, the CLI, the block runner and the
plugin. A base module: it imports nothing of Workshop Kit."""

from __future__ import annotations

import importlib
from pathlib import Path

import yaml


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    """`!!python/name:module.attr` as MkDocs reads it; None when it cannot be imported here."""
    module, _, attr = suffix.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        return None


class _ConfigLoader(yaml.SafeLoader):
    """Python names resolved like MkDocs does; `!ENV` as MkDocs reads it (added by its loader);
    other tags (`!relative`) read as unset."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def load_config(config_file: Path) -> dict:
    """The parsed mkdocs.yml, read by MkDocs' own loader (so `INHERIT:` and `!ENV` work as in a
    build); raises yaml.YAMLError when it (or a file it inherits) is not valid YAML."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    try:
        with open(config_file, "rb") as source:
            return yaml_load(source, loader=get_yaml_loader(_ConfigLoader)) or {}
    except ConfigurationError as err:
        raise yaml.YAMLError(str(err)) from None


def snippet_settings(config: dict, root: Path) -> dict:
    """pymdownx.snippets' settings, with base paths made absolute (they are relative to the site)."""
    snippets: dict = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict) and "pymdownx.snippets" in item:
            snippets = dict(item["pymdownx.snippets"] or {})
    base = snippets.get("base_path", ["."])
    snippets["base_path"] = [str(root / path) for path in ([base] if isinstance(base, str) else base)]
    return snippets
