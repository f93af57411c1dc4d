"""Create a workshop: pages from templates in each site language, an example project, nav entries.

Everything is checked before the first file is written, so a refused scaffold leaves nothing behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from ..checks.site import read_site
from ..errors import WorkshopKitError
from ..extensions.timing.durations import DurationSyntaxError, parse_clock, parse_duration
from .agenda_rows import MINIMUM, table_rows
from .nav import NavError, add_section, add_translations

TEMPLATES = Path(__file__).parent / "templates"
PAGES = ["index.md", "speaker-guide.md", "speaker-sheet.md", "agenda.md", "handout.md"]
NAV_LABELS = {"speaker-guide.md": "Speaker guide", "speaker-sheet.md": "Speaker sheet", "agenda.md": "Agenda",
              "handout.md": "Participant handout"}
NAV_FRENCH = {"Speaker guide": "Guide d'animation", "Speaker sheet": "Fiche à imprimer", "Agenda": "Agenda",
              "Participant handout": "Fiche participant"}
TOOL_NAMES = {"dvc": "DVC", "dvclive": "DVCLive", "mlflow": "MLflow", "optuna": "Optuna", "prefect": "Prefect",
              "tensorflow": "TensorFlow", "keras": "Keras", "pytorch": "PyTorch", "sklearn": "scikit-learn",
              "scikit-learn": "scikit-learn", "docker": "Docker", "fastapi": "FastAPI", "streamlit": "Streamlit",
              "git": "Git", "github-actions": "GitHub Actions", "cml": "CML", "yolo": "YOLO"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ScaffoldError(WorkshopKitError):
    """Why the workshop cannot be created, and what to change."""


@dataclass
class Workshop:
    slug: str
    title: str
    duration: str = "3 h"
    tools: list[str] = field(default_factory=list)
    title_fr: str | None = None
    start: str = "09:00"

    @property
    def tool_names(self) -> str:
        return ", ".join(TOOL_NAMES.get(t.lower(), t) for t in self.tools) or "-"


def _validate(workshop: Workshop) -> int:
    if not SLUG.fullmatch(workshop.slug):
        raise ScaffoldError(f"'{workshop.slug}' is not a usable slug: use lower-case words joined by hyphens, "
                            "e.g. 'gitops-dvc'")
    if not workshop.title.strip():
        raise ScaffoldError("--title is empty: give the workshop's title as participants will see it")
    try:
        seconds = parse_duration(workshop.duration).seconds
    except DurationSyntaxError as err:
        raise ScaffoldError(f"--duration '{workshop.duration}': {err}") from None
    if seconds < MINIMUM:
        raise ScaffoldError(f"--duration '{workshop.duration}' is shorter than 45 min; a workshop needs at least that")
    if seconds > 10 * 3600:
        raise ScaffoldError(f"--duration '{workshop.duration}' is more than one day; scaffold one workshop per day")
    try:
        start = parse_clock(workshop.start)
    except DurationSyntaxError as err:
        raise ScaffoldError(f"--start '{workshop.start}': {err}; "
                            "give the agenda's start as HH:MM, e.g. 09:00") from None
    if start + seconds > 24 * 3600:
        raise ScaffoldError(f"--start '{workshop.start}' with --duration '{workshop.duration}' ends after midnight; "
                            "start earlier")
    return seconds


def _fill(template: Path, values: dict) -> str:
    return Template(template.read_text(encoding="utf-8")).substitute(values)


def create_workshop(root: Path, workshop: Workshop) -> list[Path]:
    """Returns the files written (relative to root), mkdocs.yml last."""
    seconds = _validate(workshop)
    site = read_site(root)
    missing = [lang for lang in site.languages if not (TEMPLATES / lang).is_dir()]
    if missing:
        raise ScaffoldError(f"no page templates for {', '.join(missing)}: Workshop Kit ships English and French; "
                            "remove the language from mkdocs.yml or add templates under "
                            f"{TEMPLATES.relative_to(TEMPLATES.parents[2])}/<lang>/")
    pages_dir, example_dir = site.docs / workshop.slug, site.examples / workshop.slug
    for taken in (pages_dir, example_dir):
        if taken.exists():
            raise ScaffoldError(f"{site.relative(taken)} already exists: choose another slug, or remove it first")
    values = {"slug": workshop.slug, "title": workshop.title, "title_fr": workshop.title_fr or workshop.title,
              "tools": workshop.tool_names, "duration": workshop.duration, "start": workshop.start,
              "rows_en": table_rows(seconds, "en"), "rows_fr": table_rows(seconds, "fr")}
    files: dict[Path, str] = {}
    for lang in site.languages:
        for name in PAGES:
            target = name if lang == site.default_lang else name.replace(".md", f".{lang}.md")
            files[pages_dir / target] = _fill(TEMPLATES / lang / name, values)
    module = "test_" + workshop.slug.replace("-", "_") + ".py"
    for template in sorted((TEMPLATES / "example").rglob("*")):
        if template.is_file():
            relative = template.relative_to(TEMPLATES / "example")
            if relative.name == "test_example.py":
                relative = relative.with_name(module)
            files[example_dir / relative] = _fill(template, values)
    config = site.config_file.read_text(encoding="utf-8")
    try:
        config = add_section(config, workshop.title, [(None, f"{workshop.slug}/index.md")] +
                             [(NAV_LABELS[name], f"{workshop.slug}/{name}") for name in PAGES[1:]])
    except NavError as err:
        raise ScaffoldError(f"{site.relative(site.config_file)}: {err}") from None
    if "fr" in site.languages:
        config = add_translations(config, {workshop.title: workshop.title_fr or workshop.title, **NAV_FRENCH})
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    site.config_file.write_text(config, encoding="utf-8")
    return [site.relative(path) for path in files] + [site.relative(site.config_file)]
