"""The pytest plugin on a small site: collection, reports, summary, cache, twins."""

import shutil
from pathlib import Path

import pytest

SITE = Path(__file__).parents[1] / "fixtures" / "blocks-site"


@pytest.fixture
def site(pytester):
    shutil.copytree(SITE, pytester.path, dirs_exist_ok=True)
    pytester.makeini("[pytest]\ntestpaths = docs\n")
    return pytester


def run(site, *args):
    return site.runpytest_subprocess("-p", "no:cacheprovider", "--workshop-cache-dir", "cache", *args)


def test_the_fixture_site_runs_and_prints_a_summary(site):
    result = run(site, "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "*code blocks of the site*",
        "(site) * 9 * 8 * 8 * 0 * 0 * 1",
        "*1 x needs a cloud account",
        "SKIPPED*docs/index.md:64: Not run in CI: needs a cloud account",
    ])


def test_a_warm_run_deselects_unchanged_sessions_and_a_change_runs_them_again(site):
    run(site).assert_outcomes(passed=1, skipped=1)
    warm = run(site, "-rs")
    warm.assert_outcomes(skipped=1, deselected=1)
    warm.stdout.fnmatch_lines(["1 session unchanged since it last passed: not run*", "(site) * 9 * 0 * 0 * 0 * 8 * 1"])
    run(site, "--workshop-no-cache").assert_outcomes(passed=1, skipped=1)
    script = site.path / "examples/tiny/src/count.py"
    script.write_text(script.read_text().replace('f"step {number}"', 'f"stage {number}"'))
    run(site).assert_outcomes(failed=1, skipped=1)


def test_a_failure_names_the_file_line_block_command_and_output(site):
    page = site.path / "docs/index.md"
    page.write_text(page.read_text().replace("step 2\n    $ python", "step 3\n    $ python"))
    result = run(site)
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "docs/index.md:21: the output of 'python ../src/count.py 2' is not what the page shows",
        "block (console, line 21):",
        "    $ python ../src/count.py 2",
        "difference:",
        "    -step 3",
        "    +step 2",
        "output:",
        "    step 1",
        "    step 2",
    ])


def test_a_block_without_project_or_reason_is_a_collection_error(site):
    (site.path / "docs/other.md").write_text("# Other\n\nText.\n\n```bash\nrm -rf /\n```\n")
    result = run(site)
    result.stdout.fnmatch_lines(["*docs/other.md:5: this block is bound to no example project*skip=*"])
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_a_translated_twin_runs_once_and_is_counted_twice(site):
    english = (site.path / "docs/index.md").read_text()
    (site.path / "docs/index.fr.md").write_text(english.replace("# Every kind of block", "# Tous les blocs"))
    result = run(site, "-v")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["docs/index.md::session[[]tiny[]] PASSED*", "(site) * 18 * 16 * 16 * 0 * 0 * 2"])


def test_sessions_run_in_parallel_with_xdist(site):
    (site.path / "docs/second.md").write_text('# Second\n\n```bash project="tiny"\npython src/count.py 1\n```\n')
    result = run(site, "-n", "2")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["(site) * 10 * 9 * 9 * 0 * 0 * 1"])


def test_the_summary_counts_what_happened_and_names_the_blocks_that_never_ran(site):
    """Issue 17 §3: a failed session is not 'run 8, failed 8': 2 passed, 1 failed, the rest never ran."""
    page = site.path / "docs/index.md"
    page.write_text(page.read_text().replace("step 2\n    $ python", "step 3\n    $ python"))
    result = run(site)
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["(site) * 9 * 3 * 2 * 1 * 0 * 1",
                                 "never ran (after a failed block of their session): 5",
                                 "  docs/index.md:32"])


def test_a_failed_twin_session_names_the_never_run_blocks_on_both_pages(site):
    """The counts of a shared EN/FR session add up: each page's blocks after the failure are named
    with that page's own lines (found in review: only the English page's were)."""
    page = site.path / "docs/index.md"
    page.write_text(page.read_text().replace("step 2\n    $ python", "step 3\n    $ python"))
    (site.path / "docs/index.fr.md").write_text(page.read_text().replace("# Every kind of block",
                                                                         "# Tous les blocs\n\nUne phrase."))
    result = run(site)
    result.assert_outcomes(failed=1, skipped=2)
    result.stdout.fnmatch_lines(["(site) * 18 * 6 * 4 * 2 * 0 * 2",
                                 "never ran (after a failed block of their session): 10",
                                 "  docs/index.fr.md:34", "*", "  docs/index.md:32"])


def test_a_run_of_one_workshop_lists_that_workshop_alone(site):
    (site.path / "docs" / "other").mkdir()
    (site.path / "docs" / "other" / "page.md").write_text("---\nproject: tiny\n---\n\n# Other\n\n```bash\ntrue\n```\n")
    both = run(site)
    both.assert_outcomes(passed=2, skipped=1)
    both.stdout.fnmatch_lines(["*= code blocks of the site =*", "(site) *", "other * 1 * 1 * 1 * 0 * 0 * 0"])
    alone = run(site, "--workshop-no-cache", "docs/other/page.md")
    alone.assert_outcomes(passed=1)
    alone.stdout.fnmatch_lines(["*= code blocks of the selected workshops (1 of 2) =*",
                                "other * 1 * 1 * 1 * 0 * 0 * 0"])
    assert "(site)" not in alone.stdout.str()
