"""The offline link check of a built site: what it reports, with page and line."""

from __future__ import annotations

from pathlib import Path

from workshop_kit.cli import main
from workshop_kit.linkcheck import check_site

INDEX = """<html><head><link rel="canonical" href="https://example.org/">
<link href="assets/site.css" rel="stylesheet"></head><body>
<a href="guide/">guide</a>
<a href="guide/#setup">setup</a>
<a href="guide/#nowhere">missing anchor</a>
<a href="missing/">missing page</a>
<a href="/guide/">root-absolute</a>
<a href="#top" id="top">self</a>
<a href="https://dvc.org/doc">docs</a>
<a href="https://exa mple.org/">bad</a>
<a href="mailto:nobody">bad mail</a>
<img src="data:image/png;base64,AAAA">
</body></html>
"""
GUIDE = '<html><body><h2 id="setup">Setup</h2><a href="../">home</a><a href="https://dvc.org/doc">docs</a></body></html>'
NOT_FOUND = '<html><body><a href="/guide/">guide</a><a href="/gone/">gone</a></body></html>'


def make_site(root: Path) -> Path:
    (root / "guide").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "assets/site.css").write_text("")
    (root / "index.html").write_text(INDEX)
    (root / "guide/index.html").write_text(GUIDE)
    (root / "404.html").write_text(NOT_FOUND)
    return root


def test_each_kind_of_broken_link_is_reported_at_its_line(tmp_path):
    report = check_site(make_site(tmp_path))
    assert [(p.page, p.line, p.url) for p in report.problems] == [
        ("404.html", 1, "/gone/"),
        ("index.html", 5, "guide/#nowhere"), ("index.html", 6, "missing/"), ("index.html", 7, "/guide/"),
        ("index.html", 10, "https://exa mple.org/"), ("index.html", 11, "mailto:nobody"),
    ]
    messages = {p.url: p.message for p in report.problems}
    assert "no element with id 'nowhere' in guide/index.html" in messages["guide/#nowhere"]
    assert "sub-path" in messages["/guide/"]
    assert sorted(report.external["https://dvc.org/doc"]) == ["guide/index.html", "index.html"]
    assert "https://example.org/" not in report.external, "the canonical link is the site's own address"


def test_the_command_writes_the_external_report_and_fails_on_problems(tmp_path, capsys):
    site = make_site(tmp_path / "site")
    code = main(["links", str(site), "--report", str(tmp_path / "external.md")])
    out = capsys.readouterr().out
    assert code == 1 and "index.html:6: missing/: no such file in the built site" in out
    assert "| <https://dvc.org/doc> | guide/index.html, index.html |" in (tmp_path / "external.md").read_text()
    assert main(["links", str(tmp_path / "nothing")]) == 2
