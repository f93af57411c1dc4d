"""Adding a nav section as text keeps mkdocs.yml valid YAML for any title an author types."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.scaffold.agenda_rows import plan
from workshop_kit.scaffold.nav import add_section, add_translations

CONFIG = """\
site_name: S
nav:
  - Home: index.md
  - First:
      - first/index.md
  # a comment the author keeps
  - About: about.md

plugins:
  - i18n:
      languages:
        - locale: fr
          nav_translations:
            Home: Accueil
"""

titles = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=200, deadline=None)
@given(title=titles, french=titles)
def test_any_title_lands_after_the_last_section_and_reads_back_exactly(title, french):
    text = add_translations(add_section(CONFIG, title, [(None, "new/index.md"), ("Agenda", "new/agenda.md")]),
                            {title: french})
    config = yaml.safe_load(text)
    assert config["nav"][2] == {title: ["new/index.md", {"Agenda": "new/agenda.md"}]}
    assert config["nav"][3] == {"About": "about.md"} and "# a comment the author keeps" in text
    translations = config["plugins"][0]["i18n"]["languages"][0]["nav_translations"]
    assert translations["Home"] == "Accueil"
    assert translations.get(title) == (french if french != title else None)


@given(st.integers(min_value=45, max_value=600))
def test_a_planned_agenda_fills_the_duration_exactly(minutes):
    rows = plan(minutes * 60)
    assert sum(seconds for seconds, _, _ in rows) == minutes * 60
    assert all(seconds > 0 for seconds, _, _ in rows)
