"""A two-language site in a temporary folder, written page by page by each test."""

from __future__ import annotations

import textwrap
from pathlib import Path

from site_yaml import SUPERFENCES

CONFIG = """\
site_name: Checks fixture
docs_dir: docs
nav:
  - Home: index.md
plugins:
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          default: true
          name: English
        - locale: fr
          name: Français
  - workshop:
      checklists:
        markers: [INTERACTIVE, SPEAKER, PREP]
markdown_extensions:
  - admonition
  - pymdownx.details
""" + SUPERFENCES + """\
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.snippets:
      base_path: [snippets, examples]
      check_paths: true
"""

PAGE = """\
---
project: demo
---

# Guide

## Preparation

- [ ] PREP: Install the tools.
- [ ] Check the room.
    - [ ] projector
    - [ ] network

## Run

```bash
# Make the data
python make.py  # writes data.csv
```

--8<-- "notes.md"

/// timing | Day
    start: "09:00"

| Duration | Session | Kind |
| --- | --- | --- |
| 30 min | Welcome | talk |
| 60 min | Practice | hands-on |
///
"""

TRANSLATION = """\
---
project: demo
---

# Guide

## Préparation

- [ ] PREP: Installez les outils.
- [ ] Vérifiez la salle.
    - [ ] projecteur
    - [ ] réseau

## Exécution

```bash
# Créer les données
python make.py  # écrit data.csv
```

--8<-- "notes.md"

/// timing | Journée
    start: "09:00"

| Durée | Session | Type |
| --- | --- | --- |
| 30 min | Accueil | talk |
| 60 min | Pratique | hands-on |
///
"""


class MiniSite:
    def __init__(self, root: Path):
        self.root = root
        (root / "mkdocs.yml").write_text(CONFIG)
        (root / "examples" / "demo").mkdir(parents=True)
        (root / "snippets").mkdir()
        (root / "snippets" / "notes.md").write_text("A shared note.\n")

    def page(self, name: str, text: str) -> Path:
        path = self.root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    def pair(self, english: str = PAGE, french: str = TRANSLATION, name: str = "guide") -> None:
        self.page(f"{name}.md", english)
        self.page(f"{name}.fr.md", french)
