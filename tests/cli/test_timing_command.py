"""`workshop timing learn`: past runs against the plan, and the proposal written in place."""

from __future__ import annotations

import json
import shutil

from conftest import ROOT


def with_runs(site_copy):
    shutil.copytree(ROOT / "runs", site_copy / "runs")
    return str(site_copy / "mkdocs.yml")


def test_learn_prints_planned_median_and_p80_per_row(site_copy, workshop):
    code, out, err = workshop("timing", "learn", "-f", with_runs(site_copy), "--workshop", "ml-tooling-day")
    assert code == 0, err
    assert "docs/ml-tooling-day/agenda.md · ML tooling day (timing-1) · 2 run(s): 2026-11-20, 2026-11-27" in out
    assert "Planned    Median       p80  Runs  Proposed" in out
    assert "1 h 50       2 h    2 h 01     2" in out
    assert "Questions (unplanned): 6 min per run (median), at most 9 min" in out
    assert ((site_copy / "docs/ml-tooling-day/agenda.md").read_text()
            == (ROOT / "docs/ml-tooling-day/agenda.md").read_text())


def test_write_rewrites_both_languages_validly_and_once(site_copy, workshop):
    config = with_runs(site_copy)
    code, out, err = workshop("timing", "learn", "-f", config, "--workshop", "ml-tooling-day", "--write")
    assert code == 0, err
    assert "agenda.md: timing table rewritten" in out and "agenda.fr.md: timing table rewritten" in out
    page = (site_copy / "docs/ml-tooling-day/agenda.md").read_text()
    before = (ROOT / "docs/ml-tooling-day/agenda.md").read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), page.splitlines(), strict=False) if a != b]
    assert changed and all(a.split("|")[2:] == b.split("|")[2:] for a, b in changed), "only Time cells change"
    assert "| 09:31 - 11:26 | Guided build: MLflow + Optuna | hands-on |" in page
    code, out, err = workshop("timing", "learn", "-f", config, "--workshop", "ml-tooling-day", "--write")
    assert code == 0 and out.count("unchanged (already the proposal)") == 2
    code, out, err = workshop("check", str(site_copy / "docs/ml-tooling-day"), "--only", "timing,parity")
    assert code == 0, out + err


def test_a_bad_run_file_is_refused_with_its_name(site_copy, workshop):
    config = with_runs(site_copy)
    bad = json.loads((ROOT / "runs/ml-tooling-day/2026-11-20.json").read_text())
    del bad["done"]
    (site_copy / "runs/ml-tooling-day/2026-12-01.json").write_text(json.dumps(bad))
    code, out, err = workshop("timing", "learn", "-f", config, "--write")
    assert code == 1
    assert err.strip() == ("workshop timing: runs/ml-tooling-day/2026-12-01.json: not a run file of version 1: "
                           "at the top level: 'done' is a required property (file refused)")
    assert "Traceback" not in out + err
    assert ((site_copy / "docs/ml-tooling-day/agenda.md").read_text()
            == (ROOT / "docs/ml-tooling-day/agenda.md").read_text())


def test_unknown_workshop_is_a_usage_error(site_copy, workshop):
    code, out, err = workshop("timing", "learn", "-f", with_runs(site_copy), "--workshop", "nope")
    assert code == 2 and "there is no docs/nope/" in err
