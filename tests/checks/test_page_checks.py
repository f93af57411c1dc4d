"""Timing, checklist, block-binding and secrets checks: each names the file and line to fix."""

from __future__ import annotations

from mini_site import PAGE, TRANSLATION

from workshop_kit.checks import run_checks
from workshop_kit.checks.secrets import scan_text


def test_a_clean_pair_has_no_problem_at_all(mini_site):
    mini_site.pair()
    assert run_checks(mini_site.root) == []


def test_a_timing_overlap_is_reported_at_its_row_even_below_code_and_snippets(mini_site):
    bad = PAGE.replace("| 60 min | Practice | hands-on |", "| 09:15 - 10:00 | Practice | hands-on |")
    mini_site.pair(english=bad, french=TRANSLATION)
    timing = [p for p in run_checks(mini_site.root, ("timing",))]
    assert [(str(p.path), p.line) for p in timing] == [("docs/guide.md", 29)]
    assert "overlaps 'Welcome'" in timing[0].message


def test_a_gap_is_a_warning_not_an_error(mini_site):
    gap = PAGE.replace("| 60 min | Practice | hands-on |", "| 10:00 - 11:00 | Practice | hands-on |")
    mini_site.pair(english=gap, french=TRANSLATION.replace("| 60 min | Pratique", "| 10:00 - 11:00 | Pratique"))
    problems = run_checks(mini_site.root, ("timing",))
    assert [(str(p.path), p.line, p.severity) for p in problems] == [
        ("docs/guide.fr.md", 29, "warning"), ("docs/guide.md", 29, "warning")]
    assert all("gap of 30 min" in p.message for p in problems)


def test_a_repeated_checklist_item_is_reported_at_its_line(mini_site):
    mini_site.pair(english=PAGE.replace("- [ ] Check the room.\n", "- [ ] Check the room.\n- [ ] Check the room.\n"))
    [problem] = run_checks(mini_site.root, ("checklist",))
    assert (str(problem.path), problem.line) == ("docs/guide.md", 11)
    assert "'Check the room.' is repeated under 'Guide > Preparation'" in problem.message


def test_a_block_without_project_or_reason_is_reported(mini_site):
    mini_site.pair(english=PAGE.replace("project: demo", "title: Guide"),
                   french=TRANSLATION.replace("project: demo", "title: Guide"))
    problems = run_checks(mini_site.root, ("blocks",))
    assert [(str(p.path), p.line) for p in problems] == [("docs/guide.fr.md", 16), ("docs/guide.md", 16)]
    assert all('project="..." or skip="..."' in p.message or "project=" in p.message for p in problems)


def test_a_block_bound_to_a_missing_project_is_reported(mini_site):
    mini_site.pair(english=PAGE.replace("```bash\n", '```bash project="nowhere"\n'))
    problems = run_checks(mini_site.root, ("blocks",))
    assert any("there is no examples/nowhere/" in p.message and p.line == 16 for p in problems)


def test_secrets_in_pages_snippets_and_examples_are_found(mini_site):
    mini_site.pair()
    (mini_site.root / "examples/demo/settings.py").write_text("KEY = 'AKIA" + "ABCDEFGHIJKLMNOP'\n")
    (mini_site.root / "snippets/notes.md").write_text("See https://docs.google.com/document/d/abc\n")
    problems = run_checks(mini_site.root, ("secrets",))
    assert [(str(p.path), p.line) for p in problems] == [("examples/demo/settings.py", 1), ("snippets/notes.md", 1)]


def test_each_kind_of_secret_is_recognised_and_ordinary_text_is_not():
    samples = ["AKIA" + "Z" * 16, "-----BEGIN OPENSSH PRIVATE KEY-----", "ghp_" + "a1" * 18,
               "xoxb-" + "1234567890-abcdefghij", "AIza" + "B" * 35, "sk-" + "c" * 20 + "T3BlbkFJ" + "d" * 20,
               'password = "hunter2-for-real"', 'aws_secret_access_key = "' + "e" * 40 + '"',
               "https://www.notion.so/team/page"]
    for sample in samples:
        assert scan_text("x.md", f"prefix {sample} suffix"), sample
    placeholders = ['password = "<your password>"', "token: $DVC_STUDIO_TOKEN", 'api_key = "${API_KEY}"',
                    "secrets: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`", 'password = "xxxxxxxx"',
                    "AKIA is a prefix; a sk-learn model; ghp_short; export AWS_PROFILE=workshop"]
    for line in placeholders:
        assert scan_text("x.md", line) == [], line


def test_the_sites_allow_list_accepts_a_documented_exception(mini_site):
    mini_site.pair()
    (mini_site.root / "examples/demo/settings.py").write_text('PASSWORD = "mlflow-demo"  # the local demo server\n')
    assert [p.check for p in run_checks(mini_site.root, ("secrets",))] == ["secrets"]
    (mini_site.root / "secrets-allowlist.txt").write_text("# the demo server of examples/demo, local only\n"
                                                           'PASSWORD = "mlflow-demo"\n')
    assert run_checks(mini_site.root, ("secrets",)) == []


def test_only_pages_under_the_given_folder_are_checked(mini_site):
    mini_site.pair(name="one/guide")
    mini_site.pair(english=PAGE.replace("- [ ] Check the room.\n", "- [ ] Check the room.\n- [ ] Check the room.\n"),
                   name="two/guide")
    assert run_checks(mini_site.root / "docs" / "one") == []
    assert run_checks(mini_site.root / "docs" / "two") != []


def test_an_unreadable_front_matter_is_one_error_at_its_line_not_a_crash(mini_site):
    mini_site.pair(english=PAGE.replace("project: demo", "project: [demo"))
    problems = run_checks(mini_site.root)
    assert [(p.check, str(p.path), p.line) for p in problems] == [("blocks", "docs/guide.md", 2)]
    assert "front matter is not valid YAML" in problems[0].message


AWS_SECRET = "wJalrXUtnFEMI/K7MDENG" + "/bPxRfiCYEXAMPLEKEY"


def test_unquoted_aws_secret_keys_are_found_however_they_are_written():
    """Issue 17 §5: shell exports, ini and .env lines, `aws configure set`, `dvc remote modify`."""
    lines = [f"export AWS_SECRET_ACCESS_KEY={AWS_SECRET}", f"aws_secret_access_key = {AWS_SECRET}",
             f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}", f"aws configure set aws_secret_access_key {AWS_SECRET}",
             f"dvc remote modify --local storage secret_access_key {AWS_SECRET}"]
    for line in lines:
        assert scan_text("x", line), line
    for line in ("export AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY",
                 "dvc remote modify --local r secret_access_key <secret>",
                 f"aws_secret_access_key = {AWS_SECRET}  # pragma: allowlist secret"):
        assert scan_text("x", line) == [], line


def test_every_text_file_is_scanned_whatever_its_suffix_or_folder(mini_site):
    """Issue 17 §5: `*.pem`, `*.tfvars`, `build/`; outside Git, every file but tool folders."""
    mini_site.pair()
    demo = mini_site.root / "examples/demo"
    (demo / "deploy.pem").write_text("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n")
    (demo / "prod.tfvars").write_text(f'secret_access_key = "{AWS_SECRET}"\n')
    (demo / "build").mkdir()
    (demo / "build" / "credentials").write_text(f"[default]\naws_secret_access_key = {AWS_SECRET}\n")
    (demo / ".venv").mkdir()
    (demo / ".venv" / "leak.txt").write_text(f"aws_secret_access_key = {AWS_SECRET}\n")
    found = {(str(p.path), p.line) for p in run_checks(mini_site.root, ("secrets",))}
    assert found == {("examples/demo/deploy.pem", 1), ("examples/demo/prod.tfvars", 1),
                     ("examples/demo/build/credentials", 2)}


def test_in_git_tracked_and_untracked_files_are_scanned_and_ignored_ones_are_not(mini_site):
    import subprocess

    mini_site.pair()
    demo = mini_site.root / "examples/demo"
    (mini_site.root / ".gitignore").write_text("*.local\n")
    (demo / "config.local").write_text(f"secret_access_key = {AWS_SECRET}\n")  # ignored: never published
    (demo / "tracked.env").write_text(f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n")
    (demo / "untracked.cfg").write_text(f"aws_secret_access_key = {AWS_SECRET}\n")
    subprocess.run(["git", "init", "-q"], cwd=mini_site.root, check=True)
    subprocess.run(["git", "add", "examples/demo/tracked.env"], cwd=mini_site.root, check=True)
    found = {str(p.path) for p in run_checks(mini_site.root, ("secrets",))}
    assert found == {"examples/demo/tracked.env", "examples/demo/untracked.cfg"}


_BLANK = ("this checklist item holds only what a reader cannot see ({}), so it would render as a blank checkbox: "
          "write what to do after '[ ]', or remove the line")


def _checklist(mini_site, text: str) -> list[tuple[int | None, str]]:
    mini_site.page("items.md", text)
    return [(p.line, p.message) for p in run_checks(mini_site.root, ("checklist", "timing"))
            if str(p.path) == "docs/items.md"]


def test_an_item_of_blank_characters_names_them(mini_site):
    found = _checklist(mini_site, "# I\n\n## S\n\n- [ ] &nbsp;\n- [ ] &#x3000;&#x2060;\n- [ ] Fine\n")
    assert (5, _BLANK.format("U+00A0 no-break space")) in found, found
    assert (6, _BLANK.format("U+3000 ideographic space, U+2060 word joiner")) in found, found


def test_an_item_that_renders_empty_is_refused_at_its_line(mini_site):
    """Judged on the text the item renders, not on its Markdown: emphasis or a span around a
    zero-width space is a blank checkbox too; an item showing only an image is not."""
    found = _checklist(mini_site, "# I\n\n## S\n\n- [ ] **\u200b**\n- [ ] <span>\u2060</span>\n- [ ] ![](a.png)\n"
                                  "- [ ] *Fine*\n")
    assert found == [(5, _BLANK.format("U+200B zero width space")), (6, _BLANK.format("U+2060 word joiner"))]


def test_raw_syntax_and_blank_items_of_an_include_are_reported_at_the_include(mini_site):
    for name, blank in (("items.md", "\u200b"), ("more.md", "\u2060")):
        (mini_site.root / "snippets" / name).write_text(
            f"Intro.\n\n- [ ] {blank}\n\n| A | B |\n| - | - |\n| x | [ ] y |\n")
    found = _checklist(mini_site, '# I\n\n## S\n\nText.\n\n--8<-- "items.md"\n\n--8<--\nmore.md\n--8<--\n')
    assert {line for line, _ in found} == {7, 10}, found  # no problem without a line
    for line, name, blank in ((7, "items.md", "U+200B zero width space"), (10, "more.md", "U+2060 word joiner")):
        messages = [message for at, message in found if at == line]
        assert f"snippets/{name}:3, included here: {_BLANK.format(blank)}" in messages, messages
        assert any(m.startswith(f"snippets/{name}:7, included here: '[ ]' or '[x]'") for m in messages), messages
