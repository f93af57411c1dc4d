"""Links of a built site: internal ones must reach a file and, with a #fragment, an element id;
external ones are never fetched (the site is checked offline) but must be well-formed, and are
listed so a person can review them.

MkDocs' own validation covers links written in Markdown; this covers what the theme, the
plugins and raw HTML add, on the HTML that readers actually get.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src"}
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", re.I)


@dataclass
class _Page:
    links: list[tuple[str, int]] = field(default_factory=list)  # (url, line)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name" if tag == "a" else None):
            if name and attributes.get(name):
                self.page.ids.add(attributes[name])
        target = attributes.get(_LINKING.get(tag, ""))
        if target is None or (tag == "link" and "canonical" in (attributes.get("rel") or "")):
            return
        self.page.links.append((target, self.getpos()[0]))


@dataclass
class LinkProblem:
    page: str
    line: int
    url: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.url}: {self.message}"


@dataclass
class LinkReport:
    problems: list[LinkProblem] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)  # url -> pages linking to it
    checked: int = 0

    def markdown(self) -> str:
        lines = ["# External links of the built site", "",
                 f"{len(self.external)} distinct external URLs, syntax-checked, not fetched.", "",
                 "| URL | Pages |", "| --- | --- |"]
        for url, pages in sorted(self.external.items()):
            shown = ", ".join(sorted(set(pages))[:3]) + (" ..." if len(set(pages)) > 3 else "")
            lines.append(f"| <{url}> | {shown} |")
        return "\n".join(lines) + "\n"


def _read(path: Path) -> _Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector.page


def _external_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        host = parts.hostname or ""
        if not host or not (_HOST.match(host) or re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host)) or " " in url:
            return "not a well-formed web address"
    elif parts.scheme == "mailto":
        if "@" not in parts.path:
            return "a mailto: link without an address"
    return None


def check_site(site: Path, site_path: str = "/") -> LinkReport:
    """`site_path` is the path part of site_url: the 404 page, served at any address, links from it."""
    report = LinkReport()
    site_path = site_path if site_path.endswith("/") else site_path + "/"
    pages = {path.relative_to(site).as_posix(): _read(path) for path in sorted(site.rglob("*.html"))}
    for name, page in pages.items():
        for url, line in page.links:
            report.checked += 1
            parts = urlsplit(url)
            if parts.scheme in ("data", "javascript", "tel", "blob"):
                continue
            if parts.scheme or url.startswith("//"):
                report.external.setdefault(url, []).append(name)
                problem = _external_problem(url)
                if problem:
                    report.problems.append(LinkProblem(name, line, url, problem))
                continue
            if not parts.path:
                target = name
            elif parts.path.startswith("/") and not (name.endswith("404.html") and parts.path.startswith(site_path)):
                report.problems.append(LinkProblem(name, line, url, "a root-absolute link breaks when the site is "
                                                   "served from a sub-path; link relatively"))
                continue
            else:
                path = unquote(parts.path)
                if path.startswith("/"):
                    target = posixpath.normpath(path[len(site_path):] or ".")
                else:
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
                if path.endswith("/") or (site / target).is_dir():
                    target = posixpath.normpath(posixpath.join(target, "index.html"))
            if target.startswith("../") or not (site / target).is_file():
                report.problems.append(LinkProblem(name, line, url, "no such file in the built site"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.endswith(".html") and fragment not in pages[target].ids:
                report.problems.append(LinkProblem(name, line, url, f"no element with id '{fragment}' in {target}"))
    return report
