"""The page checks wired into a build as the `workshop` plugin will wire them (see checks/page.py).

Used as an MkDocs hook (`hooks: [.../build_checks_hook.py]`) by the tests of tests/gates/ until
plugin.py calls `BuildChecks` itself; then the hook steps aside (the plugin has `checks`).
"""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger

from workshop_kit.checks.page import BuildChecks

log = get_plugin_logger("workshop_kit.mkdocs_plugin.plugin")
_state: dict = {}


def on_config(config):
    _state["config"] = config.config_file_path
    _state.pop("checks", None)
    return config


def _checks(config):
    plugin = config.plugins.get("workshop")
    if plugin is not None and hasattr(plugin, "checks"):
        return None  # plugin.py runs them itself
    if _state.get("checks") is None:
        _state["checks"] = BuildChecks(_state["config"])
    return _state["checks"]


def on_page_markdown(markdown, page, config, files):
    checks = _checks(config)
    if checks is None:
        return markdown
    if page.file.src_uri.endswith(".ipynb"):
        checks.report(page.file.abs_src_path, log)
        return markdown
    return checks.page(page.file.abs_src_path, markdown, log)
