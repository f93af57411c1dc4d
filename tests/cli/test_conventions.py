"""What every `workshop` command does alike: --version, -f/--config-file as for MkDocs, errors on
stderr in one line (exit 2, never a traceback), normal output on stdout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from workshop_kit.cli import main

ROOT = Path(__file__).parents[2]
WORKSHOP = Path(sys.executable).parent / "workshop"


def test_version_prints_the_installed_version_and_exits_0(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"workshop {version('workshop-kit')}\n"


def test_the_console_script_has_the_version_and_reports_a_missing_config_without_a_traceback(tmp_path):
    shown = subprocess.run([str(WORKSHOP), "--version"], capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stdout.strip() == f"workshop {version('workshop-kit')}"
    missing = subprocess.run([str(WORKSHOP), "check", "-f", str(tmp_path / "mkdocs.yml")], capture_output=True,
                             text=True, cwd=tmp_path)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr == f"workshop check: -f {tmp_path / 'mkdocs.yml'}: no such file; -f/--config-file takes " \
                             "the site's mkdocs.yml\n"


@pytest.mark.parametrize("command", [["check"], ["blocks"], ["blocks", "--format", "matrix"], ["links"],
                                     ["blocks-summary"], ["new", "demo", "--title", "Demo"]])
def test_a_missing_config_file_is_one_line_on_stderr_and_exit_2(command, workshop, tmp_path):
    code, out, err = workshop(*command, "-f", str(tmp_path / "nowhere.yml"))
    assert code == 2 and out == ""
    assert err == f"workshop {command[0]}: -f {tmp_path / 'nowhere.yml'}: no such file; " \
                  "-f/--config-file takes the site's mkdocs.yml\n"
    code, out, err = workshop(*command, "-f", str(tmp_path))
    assert code == 2 and out == "" and err.endswith("is a folder; -f/--config-file takes the mkdocs.yml file itself\n")


def test_the_commands_own_errors_go_to_stderr(workshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here
    for args, message in [
        (["check", str(tmp_path)], "workshop check: "),
        (["check", str(tmp_path / "gone")], f"workshop check: {tmp_path / 'gone'} does not exist"),
        (["blocks"], "workshop blocks: "),
        (["blocks-summary"], "workshop blocks-summary: "),
        (["links", str(tmp_path / "nothing")], f"workshop links: {tmp_path / 'nothing'} holds no built site"),
        (["links"], "workshop links: site holds no built site (no index.html); run 'make site' first"),
    ]:
        code, out, err = workshop(*args)
        assert code == 2 and out == "", args
        assert err.startswith(message) and len(err.splitlines()) == 1, (args, err)
    assert "no mkdocs.yml here" in workshop("blocks")[2]


def test_normal_output_goes_to_stdout_only(workshop):
    code, out, err = workshop("check", str(ROOT / "docs/gitops-dvc"), "--only", "timing")
    assert code == 0 and err == "" and out.startswith("workshop check: 0 error(s)")
    code, out, err = workshop("blocks", "-f", str(ROOT / "mkdocs.yml"), "--format", "matrix")
    assert code == 0 and err == "" and json.loads(out)["include"]


def test_f_reads_another_site_from_anywhere(site_copy, workshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = workshop("check", "-f", str(site_copy / "mkdocs.yml"), "--only", "timing,parity")
    assert code == 0 and err == "", err
    code, out, _ = workshop("blocks", "-f", str(site_copy / "mkdocs.yml"), "--format", "json")
    assert code == 0 and {row["page"] for row in json.loads(out)} >= {"docs/gitops-dvc/handout.md", "docs/authoring.md"}


def test_f_wins_and_path_narrows_to_a_page_or_folder_of_that_site(site_copy, workshop):
    code, out, _ = workshop("blocks", str(site_copy / "docs/gitops-dvc"), "-f", str(site_copy / "mkdocs.yml"),
                            "--format", "json")
    assert code == 0 and {row["page"].split("/")[1] for row in json.loads(out)} == {"gitops-dvc"}
    code, out, err = workshop("blocks", str(ROOT / "docs"), "-f", str(site_copy / "mkdocs.yml"))
    assert code == 2 and out == "" and f"is outside the site of {site_copy / 'mkdocs.yml'}" in err


def test_f_takes_a_config_with_inherit_and_its_own_docs_dir(site_copy, workshop):
    """A config named otherwise that INHERITs the site's and narrows docs_dir: the commands read
    it as MkDocs would."""
    shutil.copytree(site_copy / "docs/rock-paper-scissors", site_copy / "one-workshop/rock-paper-scissors")
    (site_copy / "mkdocs.one.yml").write_text("INHERIT: mkdocs.yml\ndocs_dir: one-workshop\n")
    code, out, _ = workshop("blocks", "-f", str(site_copy / "mkdocs.one.yml"), "--format", "json")
    assert code == 0 and {row["page"].split("/")[0] for row in json.loads(out)} == {"one-workshop"}
    code, out, _ = workshop("blocks", "-f", str(site_copy / "mkdocs.one.yml"), "--format", "matrix")
    entries = json.loads(out)["include"]
    assert [e for e in entries if not e["workshop"].startswith("examples-")] == [
        {"workshop": "rock-paper-scissors", "paths": "one-workshop/rock-paper-scissors"}]
    code, out, err = workshop("check", "-f", str(site_copy / "mkdocs.one.yml"), "--only", "timing")
    assert code == 0 and err == ""


def test_new_takes_f_for_the_site_s_mkdocs_yml_only(site_copy, workshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = workshop("new", "quick", "--title", "Quick", "--duration", "90 min",
                              "-f", str(site_copy / "mkdocs.yml"))
    assert code == 0 and err == "" and (site_copy / "docs/quick/index.md").is_file()
    (site_copy / "mkdocs.one.yml").write_text("INHERIT: mkdocs.yml\n")
    code, out, err = workshop("new", "other", "--title", "Other", "-f", str(site_copy / "mkdocs.one.yml"))
    assert code == 2 and out == "" and "the scaffold adds its nav entries to the site's mkdocs.yml" in err
    assert not (site_copy / "docs/other").exists()


def built_site(folder: Path) -> Path:
    """A built site whose 404 page links root-absolutely, as MkDocs writes it for site_url's path."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text('<html><body><a href="guide/">Guide</a></body></html>\n')
    (folder / "guide").mkdir()
    (folder / "guide/index.html").write_text('<html><body><a href="../">Home</a></body></html>\n')
    (folder / "404.html").write_text('<html><body><a href="/repo/guide/">Guide</a></body></html>\n')
    return folder


def test_links_takes_the_site_path_and_the_site_folder_from_mkdocs_yml(workshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    built_site(tmp_path / "public")
    (tmp_path / "mkdocs.yml").write_text('site_name: T\nsite_dir: public\n'
                                         'site_url: !ENV [SITE_URL, "https://example.org/"]\n')
    monkeypatch.setenv("SITE_URL", "https://org.github.io/repo/")
    code, out, err = workshop("links")
    assert code == 0 and err == "" and "(site path /repo/)" in out and "0 problem(s)" in out
    code, out, _ = workshop("links", "--site-path", "/")  # the option still wins
    assert code == 1 and "404.html:1: /repo/guide/: no such file in the built site" in out
    monkeypatch.delenv("SITE_URL")  # !ENV's default: served from the root
    code, out, _ = workshop("links", "public")
    assert code == 1 and "(site path /)" in out


def test_links_reads_f_with_inherit_from_another_folder(workshop, tmp_path, monkeypatch):
    site = tmp_path / "site"
    built_site(site / "site")
    (site / "base.yml").write_text("site_name: T\nsite_url: https://org.github.io/repo/\n")
    (site / "mkdocs.yml").write_text("INHERIT: base.yml\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = workshop("links", "-f", str(site / "mkdocs.yml"))
    assert code == 0 and err == "" and "(site path /repo/)" in out


def test_links_without_mkdocs_yml_keeps_the_old_defaults(workshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    built_site(tmp_path / "site")
    code, out, _ = workshop("links")
    assert code == 1 and "(site path /)" in out


def test_a_broken_mkdocs_yml_is_one_line_for_links(workshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: [unclosed\n")
    code, out, err = workshop("links")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "not valid YAML" in err
