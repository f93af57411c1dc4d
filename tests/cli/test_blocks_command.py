"""`workshop blocks` lists every block with its page, line, language, project and status."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_table_shows_run_and_skipped_blocks_with_reasons(workshop):
    code, out, err = workshop("blocks", str(ROOT / "docs/gitops-dvc"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["page", "line", "language", "project", "status"]
    skipped = [line for line in lines if "docs/gitops-dvc/handout.md" in line and "DVC Studio account" in line]
    fence = next(number for number, text in enumerate((ROOT / "docs/gitops-dvc/handout.md").read_text().splitlines(), 1)
                 if 'skip="needs a DVC Studio account"' in text)
    assert skipped and skipped[0].split()[1:4] == [str(fence), "bash", "-"]
    assert "skipped: needs a DVC Studio account" in skipped[0]
    assert any("pokemon-dvc" in line and line.rstrip().endswith("run") for line in lines)
    assert lines[-1].startswith(f"{len(lines) - 2} block(s): ")


def test_json_agrees_with_the_pages(workshop):
    code, out, err = workshop("blocks", str(ROOT), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {"page", "line", "language", "project", "status", "reason"} <= set(rows[0])
    handout = [r for r in rows if r["page"] == "docs/gitops-dvc/handout.md"]
    assert handout and all(r["project"] == "pokemon-dvc" for r in handout if r["status"] == "run")
    assert {r["status"] for r in rows} == {"run", "skipped"}
    assert all(r["reason"] for r in rows if r["status"] == "skipped")


def test_status_filter(workshop):
    _, out, _ = workshop("blocks", str(ROOT), "--status", "skipped", "--format", "json")
    rows = json.loads(out)
    assert rows and all(r["status"] == "skipped" for r in rows)


def test_a_page_whose_fences_cannot_be_read_is_listed_as_an_error(site_copy, workshop):
    page = site_copy / "docs/authoring.md"
    page.write_text(page.read_text() + "\n```bash project=\"pokemon-dvc\"\necho never closed\n")
    _, out, _ = workshop("blocks", str(page), "--format", "json")
    [row] = json.loads(out)
    assert row["status"] == "error" and "never closed" in row["reason"]


def test_a_listing_with_an_error_or_an_unbound_block_exits_1(workshop, site_copy):
    page = site_copy / "docs" / "glossary.md"
    page.write_text(page.read_text() + "\n```bash\necho unbound\n```\n\n"
                    "```bash project=\"no-such-project\"\necho x\n```\n")
    code, out, err = workshop("blocks", "-f", str(site_copy / "mkdocs.yml"), str(page))
    assert code == 1 and "unbound" in out and "error" in out
    code, out, err = workshop("blocks", "-f", str(site_copy / "mkdocs.yml"), str(page), "--format", "json")
    assert code == 1
    code, out, err = workshop("blocks", "-f", str(site_copy / "mkdocs.yml"), str(site_copy / "docs" / "index.md"))
    assert code == 0
