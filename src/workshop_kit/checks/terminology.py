"""French pages say each ML concept with one French term, the one in the site's glossary.

The table below is the rule: for each English term, the French term the pages use, the
renderings that are wrong (errors) and those that are usually wrong but depend on the context
(warnings). Only prose is read: fenced code, inline code, link targets, URLs and HTML tags are
left out, so `dvc exp run` or `features/` in code never count. Notebooks are not read.

A pattern is a case-insensitive regular expression; a match that lies inside a match of one of
the term's `allowed` patterns is not reported (the legitimate use of a word that also has a
wrong one, such as « précision » next to « rappel », where it does mean precision). A page that
must name the English terms themselves, the glossary, opts out with `terminology: false` in its
front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..blocks.collect import split_front_matter
from ..blocks.model import BlockError
from ..extensions.fenced import outside_fences
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


def _compiled():
    return [(term, [re.compile(p, re.I) for p in term.forbidden], [re.compile(p, re.I) for p in term.suspect],
             [re.compile(p, re.I) for p in term.allowed]) for term in TERMS]


_RULES = _compiled()


def check_terminology(path: Path, text: str) -> list[Problem]:
    """The terminology problems of one French page; `path` is how messages name it."""
    try:
        meta = split_front_matter(text)[0]
    except BlockError:
        meta = {}  # the blocks check reports an unreadable front matter
    if meta.get("terminology") is False:
        return []
    problems = []
    for number, line in prose_lines(text):
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
