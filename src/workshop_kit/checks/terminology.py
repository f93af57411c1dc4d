"""French pages say each ML concept with one French term, the one in the site's glossary.

The table below is the rule: for each English term, the French term the pages use, the
renderings that are wrong (errors) and those that are usually wrong but depend on the context
(warnings). Only prose is read: fenced code, inline code, link targets, URLs and HTML tags are
left out, so `dvc exp run` or `features/` in code never count.

A pattern is a case-insensitive regular expression; a match that lies inside a match of one of
the term's `allowed` patterns is not reported (the legitimate use of a word that also has a
wrong one, such as « précision » next to « rappel », where it does mean precision). A page that
must name the English terms themselves, the glossary, opts out with `terminology: false` in its
front matter.

Beside the glossary's terms, `PHRASES` lists the anglicisms and mistranslations that French
pages kept making (issue 25): a verb made from an English one (« forkez », « commitez »), a
phrase read the wrong way (« Pour quitter la ligne de commande » for "To go beyond the command
line"), a skip reason that reads as an order (« demande un compte »), an English placeholder for
the reader to replace (`<your Studio token>`). Each says what to write instead. A phrase is
looked for in prose, in the skip reasons of fences (shown to participants), or anywhere on the
line, code included (placeholders). Notebooks (`.ipynb`) are read too: the prose of their
Markdown cells, with the line of the notebook's JSON file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..blocks.model import BlockError
from ..extensions.fenced import outside_fences
from ..front_matter import split_front_matter
from .problem import Problem

CHECKED_LANG = "fr"
GLOSSARY = "docs/glossary.fr.md"


@dataclass(frozen=True)
class Term:
    english: str
    french: str  # the term French pages use, as the glossary gives it
    forbidden: tuple[str, ...]  # renderings that are wrong wherever they appear: errors
    suspect: tuple[str, ...] = ()  # renderings that are wrong in most contexts: warnings
    allowed: tuple[str, ...] = ()  # contexts in which a forbidden or suspect match is right
    why: str = ""


TERMS: tuple[Term, ...] = (
    Term("accuracy", "exactitude",
         forbidden=(r"\bpr[ée]cision\b",),
         allowed=(r"\bpr[ée]cision\b(?:,| et) (?:le )?rappel\b", r"\brappel\b(?:,| et) (?:la )?pr[ée]cision\b",
                  r"\bpr[ée]cision \(precision\)"),
         why="« précision » is precision (true positives among predicted positives); where the page does mean "
             "precision, pair it with « rappel » or add « (precision) »"),
    Term("stage (of a model in a registry: dev, staging, prod)", "stage",
         forbidden=(r"\bétapes? (?:du|de|d'un|dans le) registre\b",
                    r"\battribu\w* (?:une|des|la|l'|deux|un|cette) ?étapes?\b",
                    r"\bétapes? `?(?:prod|production|staging|dev)\b"),
         suspect=(r"\bversions?,? (?:et )?(?:des )?étapes?\b",),
         why="« étape » is a pipeline stage; write a registry stage `stage`, in code font"),
    Term("run (one tracked execution: MLflow, Azure ML, a pipeline)", "exécution",
         forbidden=(r"\bruns?\b",),
         why="the pages say « exécution » for a run; keep `run` only in code (`dvc exp run`, the `Run` object)"),
    Term("pruning, pruner (Optuna)", "interruption des essais",
         forbidden=(r"\bélag\w*",),
         why="Optuna's pruning stops unpromising trials: « interrompre un essai », « essai interrompu », "
             "« règle d'interruption » (`MedianPruner`)"),
    Term("feature (an input variable of a model)", "caractéristique",
         forbidden=(r"\bfeatures?\b(?! engineering)",),
         suspect=(r"\bfeature engineering\b",),
         why="write « caractéristique(s) », and « ingénierie des caractéristiques » for feature engineering"),
    Term("managed (service, platform)", "géré",
         forbidden=(r"\bmanag[ée]e?s?\b",),
         why="a cloud service run by its provider is « géré »"),
    Term("training (the step; Training as a label)", "entraînement",
         forbidden=(r"(?<!AI )\btraining\s*:", r"\b(?:le|du|au|un) training\b"),
         why="the product is « AI Training »; the step is « l'entraînement »"),
    Term("deployment (the step; Deploy as a label)", "déploiement",
         forbidden=(r"(?<!AI )\bdeploy\s*:",),
         why="the product is « AI Deploy »; the step is « le déploiement »"),
)



@dataclass(frozen=True)
class Phrase:
    wrong: str  # a case-insensitive regular expression
    right: str  # what a French trainer writes instead
    why: str
    where: str = "prose"  # "prose"; "skip" (a fence's skip reason); "line" (code included: placeholders)
    context: str = ""  # if set, reported only when this expression matches the raw text around the line
    severity: str = "error"


_NOT_AFTER_REGLE = r"(?<!règle d')(?<!règle d’)"

PHRASES: tuple[Phrase, ...] = (
    Phrase(r"\bfork(?:e|es|ez|ent|er|ons|é|ée|és|ées|ant)\b", "faites un fork (une copie du dépôt)",
           "« fork » is a noun in French: « faire un fork », « faites-en un fork »"),
    Phrase(r"\bcommitt?(?:e|es|ez|ent|er|ons|é|ée|és|ées|ant)\b", "faites un commit (validez)",
           "« commit » is a noun in French: « faire un commit », « valider »"),
    Phrase(r"\bpush(?:e|es|ez|ent|er|ons|é|ée|és|ées)\b", "poussez (envoyez)",
           "Git's push is « pousser » in French"),
    Phrase(r"\bpour quitter la ligne de commande\b", "Pour aller au-delà de la ligne de commande",
           "\"to go beyond the command line\" does not mean leaving it"),
    Phrase(r"\binstall(?:ez|er|e)(?:-le|-la|-les)?\b", "initialisez-le (`dvc init`)",
           "`dvc init` initialises a DVC repository in the project; nothing is installed",
           context=r"\b(?:dvc|git) init\b"),
    Phrase(r"\bserv(?:ez|ir|ons)(?:-le|-la|-les)?\s+(?:(?:le|les|un|des|votre|ce|ces|son|leur)\s+)?(?:\w+\s+)?modèles?\b"
           r"|\b(?:qui|on) ser(?:t|vent) (?:le|les|un|ce|son) (?:\w+ )?modèles?\b"
           r"|\bmodèles?\s+(?:\w+\s+){0,2}et\s+servis?\b"
           r"|\bservie?s? (?:en|par) HTTP\b"
           r"|\ble servir\b",
           "exposer le modèle derrière une API",
           "serving a model is exposing it behind an API (or « mettre en service »); "
           "« servir » reads as serving a dish"),
    Phrase(_NOT_AFTER_REGLE + r"\binterruption médiane\b", "règle d'interruption médiane (`MedianPruner`)",
           "Optuna's `MedianPruner` is a rule that interrupts trials, not a median interruption"),
    Phrase(r"\bvid(?:ez|er|e) la salle\b", "remettez l'installation de la salle à zéro",
           "the room's set-up is reset (databases, artefacts), the room is not emptied"),
    Phrase(r"\bhyperparamètres? imbriqués?\b", "hyperparamètres conditionnels",
           "parameters that exist only for some values of another are conditional (Optuna's term)"),
    Phrase(r"\b\d+\s+(?:époques\s+)?à\s+\d+\s+pixels\b", "20 époques sur des images de 128 pixels",
           "\"20 at 128 pixels\" is 20 epochs at an image size of 128 pixels; « 20 à 128 » reads as a range"),
    Phrase(r"\busages? du sol\b", "occupation du sol",
           "the pages use one term for land cover classes: « catégories d'occupation du sol »"),
    Phrase(r"\benvelopp(?:ez|er|e|ons)\b[^.;:]{0,60}?\bdans\b", "intégrez ... à",
           "\"wrap the training in a study\" is « intégrer l'entraînement à une étude »; « envelopper » is a copy"),
    Phrase(r"\bne (?:contient|contiennent|comporte|comportent|garde|gardent) de plus que\b", "ne contient en plus que",
           "« ne contient de plus que » is not idiomatic: « ne contient en plus que »"),
    Phrase(r"^\s*demande\b", "nécessite ...",
           "a skip reason is shown to participants: « demande un compte » reads as an order", where="skip"),
    Phrase(r"<(?=[^<>\n]*\b(?:your|my|the|number|users?|password|attendees|token|repository)\b)[A-Za-z][A-Za-z /_-]*>",
           "<votre ...>",
           "a placeholder the reader replaces is written in the page's language", where="line"),
)

# What is not prose on a line: inline code (any number of backticks), link and image targets,
# reference definitions, autolinks, bare URLs, HTML tags and comments.
_NOT_PROSE = re.compile(
    r"(?P<ticks>`+).+?(?P=ticks)"
    r"|\]\([^)]*\)"
    r"|^\s*\[[^\]]+\]:\s*\S+.*$"
    r"|<(?:https?|mailto):[^>]*>"
    r"|https?://\S+"
    r"|<!--.*?-->"
    r"|</?[A-Za-z][^>]*>")
_SNIPPET = re.compile(r"^\s*-{1,}8<-{1,}\s")


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, prose) for every line of a page outside front matter and fenced code;
    inline code, link targets, URLs and HTML are blanked out (same length, so columns hold)."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            start = end + 1
    found = []
    in_comment = False
    for number, line in outside_fences(lines[start:], start=start + 1):
        if in_comment:
            if "-->" not in line:
                continue
            line, in_comment = " " * (line.index("-->") + 3) + line[line.index("-->") + 3:], False
        if "<!--" in line and "-->" not in line[line.index("<!--"):]:
            line, in_comment = line[:line.index("<!--")], True
        if _SNIPPET.match(line):
            continue
        found.append((number, _NOT_PROSE.sub(lambda m: " " * len(m.group(0)), line)))
    return found


# Pages another developer was editing when `PHRASES` grew (issue 25): their phrase problems are
# warnings until the fixes listed for them in that report are applied; then remove the
# page from this list, and the check holds it to the same rule as every other page.
PENDING: tuple[str, ...] = ()


def _pending(path: Path) -> bool:
    name = path.as_posix()
    return any(name == page or name.endswith("/" + page) for page in PENDING)


_SKIP_REASON = re.compile(r"""^\s*(?:`{3,}|~{3,}).*?\bskip=(?P<q>["'])(?P<reason>.*?)(?P=q)""")


def _compiled():
    return [(term, [re.compile(p, re.I) for p in term.forbidden], [re.compile(p, re.I) for p in term.suspect],
             [re.compile(p, re.I) for p in term.allowed]) for term in TERMS]


_RULES = _compiled()
_PHRASES = [(phrase, re.compile(phrase.wrong, re.I), re.compile(phrase.context, re.I) if phrase.context else None)
            for phrase in PHRASES]
_CONTEXT_LINES = 6  # a sentence wraps; its command is often in the block just below


def _body_start(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            return end + 1
    return 0


def phrase_problems(path: Path, text: str, prose: list[tuple[int, str]] | None = None) -> list[Problem]:
    """The anglicisms and mistranslations of `PHRASES` in one French page."""
    lines = text.splitlines()
    prose = prose_lines(text) if prose is None else prose
    start = _body_start(lines)
    skips = [(number, m.group("reason"), m.start("reason")) for number, line in enumerate(lines[start:], start + 1)
             if (m := _SKIP_REASON.match(line))]
    raw = list(enumerate(lines[start:], start + 1))
    pending = _pending(path)
    problems = []
    for phrase, wrong, context in _PHRASES:
        where = {"prose": prose, "skip": [(n, r) for n, r, _ in skips], "line": raw}[phrase.where]
        for number, line in where:
            for match in wrong.finditer(line):
                if context is not None:
                    around = "\n".join(lines[max(0, number - 1 - _CONTEXT_LINES):number + _CONTEXT_LINES])
                    if not context.search(around):
                        continue
                problems.append(Problem(
                    "terminology", path, number,
                    f"'{match.group(0).strip()}': write '{phrase.right}' ({phrase.why})"
                    + ("; a warning until this page's pending fixes (issue 25) are applied" if pending else ""),
                    severity="warning" if pending else phrase.severity))
    return problems


def notebook_prose(text: str) -> list[tuple[int, str]]:
    """(line of the JSON file, prose) for every line of a notebook's Markdown cells: nbformat writes
    each line of a cell's source as one JSON string on its own line."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return []  # the parity check reports an unreadable notebook
    json_lines = text.splitlines()
    found, cursor = [], 0
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", [])
        pieces = source if isinstance(source, list) else source.splitlines(keepends=True)
        numbers = []
        for piece in pieces:
            number = next((i for i in range(cursor, len(json_lines)) if _is_json_string(json_lines[i], piece)), None)
            if number is not None:
                cursor = number + 1
            numbers.append((number if number is not None else max(cursor - 1, 0)) + 1)
        for line_in_cell, prose in prose_lines("".join(pieces)):
            found.append((numbers[line_in_cell - 1] if line_in_cell <= len(numbers) else cursor, prose))
    return found


def _is_json_string(line: str, value: str) -> bool:
    stripped = line.strip().rstrip(",")
    if not stripped.startswith('"'):
        return False
    try:
        return json.loads(stripped) == value
    except ValueError:
        return False


def check_terminology(path: Path, text: str) -> list[Problem]:
    """The terminology problems of one French page; `path` is how messages name it."""
    try:
        meta = split_front_matter(text)[0]
    except BlockError:
        meta = {}  # the blocks check reports an unreadable front matter
    if meta.get("terminology") is False:
        return []
    if path.suffix == ".ipynb":
        prose = notebook_prose(text)
        return _term_problems(path, prose) + phrase_problems(path, "", prose)
    prose = prose_lines(text)
    return _term_problems(path, prose) + phrase_problems(path, text, prose)


def _term_problems(path: Path, prose: list[tuple[int, str]]) -> list[Problem]:
    problems = []
    for number, line in prose:
        for term, forbidden, suspect, allowed in _RULES:
            spans = [m.span() for pattern in allowed for m in pattern.finditer(line)]
            for patterns, severity in ((forbidden, "error"), (suspect, "warning")):
                for pattern in patterns:
                    for match in pattern.finditer(line):
                        if any(s <= match.start() and match.end() <= e for s, e in spans):
                            continue
                        problems.append(Problem(
                            "terminology", path, number,
                            f"'{match.group(0).strip()}' for '{term.english}': write '{term.french}' "
                            f"({term.why}; see {GLOSSARY})"
                            + ("" if severity == "error" else "; a warning, as the context may make it right"),
                            severity=severity))
    return problems
