"""Past runs on the rendered agenda: each timed row of a timing table gets the median and 80th
percentile of the time it took in the runs under `runs/<workshop>/*.json` (data attributes the
speaker view shows as "planned 45 · past 52 (p80 60)", and the clock's past pace uses).

The plugin calls `annotate(html, page.file.src_uri, root, log)` from `on_page_content`. A run file
that does not follow the schema is reported once per build as a warning naming the file (so
`--strict` fails) and left out.
"""

from __future__ import annotations

import html as htmlmod
import logging
import re
from pathlib import Path

from ..extensions.timing.runs import load_runs, page_of, row_figures, runs_of

_WRAPPER = re.compile(r'<div\b[^>]*\bdata-wk-timing="([^"]*)"[^>]*>')
_ROW = re.compile(r"<tr\b([^>]*)>")
_ATTR = re.compile(r'\b(data-[a-z-]+|class)="([^"]*)"')

_cache: dict[tuple[str, str], tuple[tuple, list[dict]]] = {}


def _stamp(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.json"))) \
        if folder.is_dir() else ()


def past_runs(root: Path, workshop: str, log: logging.Logger | logging.LoggerAdapter | None = None) -> list[dict]:
    """The valid runs of a workshop, read again only when the folder changed (each language's build
    and each page reuse them); bad files are reported each time they are read."""
    folder = root / "runs" / workshop
    key = (str(root), workshop)
    stamp = _stamp(folder)
    if key in _cache and _cache[key][0] == stamp:
        return _cache[key][1]
    runs, problems = load_runs(root, workshop)
    if log is not None:
        for problem in problems:
            log.warning("%s (left out of the past runs)", problem)
    _cache[key] = (stamp, runs)
    return runs


def annotate(html: str, src_uri: str, root: Path, log: logging.Logger | logging.LoggerAdapter | None = None) -> str:
    """The page's HTML with `data-past`, `data-past-p80` and `data-past-runs` (seconds, count) on
    the timed rows of each timing table that past runs belong to."""
    if "data-wk-timing=" not in html:
        return html
    src = src_uri.replace("\\", "/")
    if "/" not in src:
        return html
    runs = past_runs(Path(root), src.split("/", 1)[0], log)
    if not runs:
        return html
    page = page_of(src)
    out, cursor = [], 0
    for wrapper in _WRAPPER.finditer(html):
        mine = runs_of(runs, page, htmlmod.unescape(wrapper.group(1)))
        end = html.find("</table>", wrapper.end())
        if not mine or end < 0:
            continue
        segment = html[wrapper.end():end]
        rows = []
        for match in _ROW.finditer(segment):
            attrs = dict(_ATTR.findall(match.group(1)))
            if "wk-timing-row" in attrs.get("class", "").split() and "data-start" in attrs:
                rows.append((match, attrs))
        timed = [(i, htmlmod.unescape(attrs.get("data-title", "")), int(attrs["data-end"]) - int(attrs["data-start"]),
                  attrs.get("data-kind", "")) for i, (_, attrs) in enumerate(rows)]
        figures = row_figures(timed, mine)
        out.append(html[cursor:wrapper.end()])
        at = wrapper.end()
        for (match, _), figure in zip(rows, figures, strict=False):
            out.append(html[at:wrapper.end() + match.end() - 1])
            if figure.samples:
                out.append(f' data-past="{figure.median}" data-past-p80="{figure.p80}" '
                           f'data-past-runs="{len(figure.samples)}"')
            at = wrapper.end() + match.end() - 1
        cursor = at
    out.append(html[cursor:])
    return "".join(out)
