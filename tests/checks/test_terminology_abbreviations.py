"""French pages get French abbreviation tooltips: snippets/abbreviations.fr.md, swapped in by the
hook snippets/abbreviations_i18n.py for the English snippets/abbreviations.md that
pymdownx.snippets appends to every page."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import markdown
import yaml

ROOT = Path(__file__).parents[2]
SNIPPETS = ROOT / "snippets"
HOOK = SNIPPETS / "abbreviations_i18n.py"


def definitions(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^\*\[([^\]]+)\]:\s*(.+)$", path.read_text(encoding="utf-8"), re.M))


def load_hook():
    spec = importlib.util.spec_from_file_location("abbreviations_i18n_under_test", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Config(dict):
    """What the hook reads of MkDocs' config: mdx_configs and the config file's path."""

    def __init__(self, config_file: Path, auto_append: list[str]):
        super().__init__(mdx_configs={"pymdownx.snippets": {"base_path": ["snippets"], "auto_append": auto_append}})
        self.config_file_path = str(config_file)


def page(src_uri: str, locale: str | None = None):
    file = SimpleNamespace(src_uri=src_uri)
    if locale is not None:
        file.locale = locale
    return SimpleNamespace(file=file)


def test_the_french_file_defines_every_abbreviation_of_the_english_one_in_french():
    english, french = definitions(SNIPPETS / "abbreviations.md"), definitions(SNIPPETS / "abbreviations.fr.md")
    assert english and set(french) == set(english)
    assert all(french[name] != english[name] for name in english)


def test_the_site_appends_the_english_file_and_registers_the_hook():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "snippets/abbreviations_i18n.py" in config["hooks"]
    [snippets] = [e["pymdownx.snippets"] for e in config["markdown_extensions"]
                  if isinstance(e, dict) and "pymdownx.snippets" in e]
    assert snippets["auto_append"] == ["abbreviations.md"]


def test_a_french_page_gets_the_french_file_for_its_conversion_only():
    hook = load_hook()
    config = Config(ROOT / "mkdocs.yml", ["abbreviations.md"])
    settings = config["mdx_configs"]["pymdownx.snippets"]
    french = page("gitops-dvc/handout.fr.md", "fr")
    assert hook.on_page_markdown("text", french, config, None) == "text"
    assert settings["auto_append"] == ["abbreviations.fr.md"]
    hook.on_page_content("<p>text</p>", french, config, None)
    assert settings["auto_append"] == ["abbreviations.md"]
    for english in (page("gitops-dvc/handout.md", "en"), page("index.md")):
        hook.on_page_markdown("text", english, config, None)
        assert settings["auto_append"] == ["abbreviations.md"]
    # without mkdocs-static-i18n's locale, the file name says it; a language without its file keeps English
    hook.on_page_markdown("text", page("index.fr.md"), config, None)
    assert settings["auto_append"] == ["abbreviations.fr.md"]
    hook.on_page_content("", page("index.fr.md"), config, None)
    hook.on_page_markdown("text", page("index.de.md", "de"), config, None)
    assert settings["auto_append"] == ["abbreviations.md"]


def test_a_setting_left_french_by_a_failed_page_does_not_reach_the_next_english_page():
    hook = load_hook()
    config = Config(ROOT / "mkdocs.yml", ["abbreviations.fr.md"])
    hook.on_page_markdown("text", page("index.md", "en"), config, None)
    assert config["mdx_configs"]["pymdownx.snippets"]["auto_append"] == ["abbreviations.md"]


def render(auto_append: list[str], text: str) -> str:
    md = markdown.Markdown(extensions=["abbr", "pymdownx.snippets"], extension_configs={
        "pymdownx.snippets": {"base_path": [str(SNIPPETS)], "check_paths": True, "auto_append": auto_append}})
    return md.convert(text)


def test_the_tooltip_is_the_last_definition_so_only_swapping_the_appended_file_works():
    french = definitions(SNIPPETS / "abbreviations.fr.md")["DVC"]
    english = definitions(SNIPPETS / "abbreviations.md")["DVC"]
    # a French page including its own file still shows the English tooltip appended after it
    included = render(["abbreviations.md"], 'Lancez DVC.\n\n--8<-- "abbreviations.fr.md"\n')
    assert f'<abbr title="{english}">DVC</abbr>' in included
    assert f'<abbr title="{french}">DVC</abbr>' in render(["abbreviations.fr.md"], "Lancez DVC.\n")


def test_a_built_two_language_site_shows_each_language_its_own_tooltips(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nDVC versions the data.\n")
    (tmp_path / "docs" / "index.fr.md").write_text("# Accueil\n\nDVC versionne les données.\n")
    shutil.copytree(SNIPPETS, tmp_path / "snippets", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "mkdocs.yml").write_text("""\
site_name: Tooltips
docs_dir: docs
plugins:
  - i18n:
      docs_structure: suffix
      fallback_to_default: false
      languages:
        - locale: en
          default: true
          name: English
        - locale: fr
          name: Français
markdown_extensions:
  - abbr
  - pymdownx.snippets:
      base_path: [snippets]
      check_paths: true
      auto_append: [abbreviations.md]
hooks:
  - snippets/abbreviations_i18n.py
""")
    build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    english = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    french = (tmp_path / "site" / "fr" / "index.html").read_text(encoding="utf-8")
    title = definitions(SNIPPETS / "abbreviations.md")["DVC"]
    titre = definitions(SNIPPETS / "abbreviations.fr.md")["DVC"]
    assert f'<abbr title="{title}">DVC</abbr>' in english and titre not in english
    assert f'<abbr title="{titre}">DVC</abbr>' in french and f'title="{title}"' not in french
