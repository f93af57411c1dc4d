"""`pytest --workshop-update-output` on a small site: pages rewritten in place, nothing else touched."""

import shutil
from pathlib import Path

import pytest

SITE = Path(__file__).parents[1] / "fixtures" / "update-site"
EN, FR = "docs/index.md", "docs/index.fr.md"

# What the update changes on the fixture pages (each text occurs once on either page); every
# other byte stays. `...` lines, `...` in a line and ` (re)` lines that still match are kept.
CHANGES = [
    ("    step 1\n    step 9\n", "    step 1\n    step 2\n    step 3\n"),  # in an admonition
    ("    >>> total * 2\n", "    >>> total * 2\n    12\n"),  # pycon in a content tab: missing output
    ("    a\n    ```", "    a\n    b\n    ```"),
    ("    usage: count.py\n    [3]\n", "    usage: count.py N\n    [3]\n"),  # in a list item: expected exit code kept
    ("step 11\nstep 99\n", "step 11\nstep 12\n"),  # the `...` line above is kept
    ("[A-Z][a-z]+ \\d+ (re)\ndone\n", "[A-Z][a-z]+ \\d+ (re)\nfinished\n"),  # the wildcard lines above are kept
    ("step 2\n[2]\n", "step 2\n"),  # exit code removed
]


def updated(text: str, newline: str = "\n") -> str:
    for old, new in CHANGES:
        old, new = old.replace("\n", newline), new.replace("\n", newline)
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def site(pytester):
    shutil.copytree(SITE, pytester.path, dirs_exist_ok=True)
    pytester.makeini("[pytest]\ntestpaths = docs\n")
    return pytester


def run(site, *args):
    return site.runpytest_subprocess("-p", "no:cacheprovider", "--workshop-cache-dir", "cache", *args)


def read(site, page: str) -> bytes:
    return (site.path / page).read_bytes()


def test_update_rewrites_both_pages_then_they_pass_and_a_second_update_changes_nothing(site):
    english, french = read(site, EN).decode(), read(site, FR).decode()
    assert not french.endswith("\n")  # the French page has no last newline, and keeps it so
    run(site).assert_outcomes(failed=1, skipped=2)

    result = run(site, "--workshop-update-output")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["*expected output rewritten (--workshop-update-output)*",
                                 "docs/index.fr.md (tiny)", "docs/index.md (tiny)"])
    # The French page's blocks are updated from the run they share with the English page.
    assert read(site, EN).decode() == updated(english)
    assert read(site, FR).decode() == updated(french)

    rerun = run(site, "-v")  # not cached by the update run: the session runs and passes
    rerun.assert_outcomes(passed=1, skipped=2)
    rerun.stdout.fnmatch_lines(["docs/index.md::session[[]tiny[]] PASSED*"])

    before = read(site, EN), read(site, FR)
    again = run(site, "--workshop-update-output", "--workshop-no-cache")
    again.assert_outcomes(passed=1, skipped=2)
    assert "expected output rewritten" not in again.stdout.str()
    assert (read(site, EN), read(site, FR)) == before


def test_crlf_pages_keep_their_line_endings(site):
    for page in (EN, FR):
        path = site.path / page
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    english, french = read(site, EN).decode(), read(site, FR).decode()
    run(site, "--workshop-update-output").assert_outcomes(passed=1, skipped=2)
    assert read(site, EN).decode() == updated(english, "\r\n")
    assert read(site, FR).decode() == updated(french, "\r\n")
    run(site).assert_outcomes(passed=1, skipped=2)


def test_a_french_page_with_other_blocks_is_updated_from_its_own_run(site):
    french = site.path / FR
    french.write_text(french.read_text().replace("$ python ../src/count.py 3", "$ python ../src/count.py 4"))
    english, french_text = read(site, EN).decode(), french.read_text()
    result = run(site, "--workshop-update-output", "-v")
    result.assert_outcomes(passed=2, skipped=2)  # two sessions now, one per page
    assert read(site, EN).decode() == updated(english)
    assert french.read_text() == updated(french_text).replace("    step 3\n", "    step 3\n    step 4\n")
    run(site).assert_outcomes(passed=2, skipped=2)


def test_a_block_included_from_a_snippet_is_not_rewritten_and_a_warning_says_so(site):
    snippet = site.path / "snippets/hello.console"
    snippet.write_text("$ echo hello\nhullo\n")
    english = read(site, EN).decode()
    result = run(site, "--workshop-update-output")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines([
        "*UpdateWarning: docs/index.md:57: the console block's code comes from a --8<-- snippet, so its "
        "expected output is not rewritten here; update the included file by hand*",
        "*$ echo hello",
        "*    hello",
    ])
    assert snippet.read_text() == "$ echo hello\nhullo\n"
    assert read(site, EN).decode() == updated(english)
    # The session was not remembered as passed: without the option it runs, and fails on the snippet.
    failed = run(site)
    failed.assert_outcomes(failed=1, skipped=2)
    failed.stdout.fnmatch_lines(["docs/index.md:59: the output of 'echo hello' is not what the page shows"])


def test_a_session_whose_blocks_fail_otherwise_still_fails_and_nothing_is_remembered(site):
    for page in (EN, FR):
        path = site.path / page
        path.write_text(path.read_text().replace("```bash\nmkdir -p work && cd work\n```",
                                                 "```bash\nmkdir -p work && cd work\n```\n\n"
                                                 "```console\n$ echo first\nwrong\n```\n\n```bash\nfalse\n```"))
    result = run(site, "--workshop-update-output")
    result.assert_outcomes(failed=1, skipped=2)
    result.stdout.fnmatch_lines(["docs/index.md:*: the block exited with status 1"])
    # What ran before the failing block is rewritten, on both pages; the rest is left as it was.
    for page in (EN, FR):
        text = (site.path / page).read_text()
        assert "$ echo first\nfirst\n```" in text and "    step 9\n" in text
    run(site, "--workshop-update-output").assert_outcomes(failed=1, skipped=2)


def test_a_command_that_fails_where_the_page_expects_success_is_never_recorded(site):
    page = site.path / EN
    page.write_text(page.read_text().replace("    usage: count.py\n    [3]\n", "    usage: count.py N\n"))
    result = run(site, "--workshop-update-output")
    result.assert_outcomes(passed=1, failed=1, skipped=2)  # the French page, now different, passes on its own
    result.stdout.fnmatch_lines(["*exited with 3 where the page expects success; "
                                 "--workshop-update-output does not record failures*"])
    assert "    usage: count.py N\n    ```" in read(site, EN).decode(), "the failing step is left as the page had it"
