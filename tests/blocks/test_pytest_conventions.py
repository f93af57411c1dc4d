"""The block plugin follows pytest's conventions: a marker, pytest's cache folder, prefixed options
with ini equivalents, cached sessions deselected, no private pytest API, a browser fixture that
skips outside CI."""

import re
import shutil
import tokenize
from pathlib import Path

import pytest

import workshop_kit.blocks.cache
import workshop_kit.blocks.pytest_items
import workshop_kit.blocks.report
import workshop_kit.pytest_plugin

SITE = Path(__file__).parents[1] / "fixtures" / "blocks-site"
CACHED = "1 session unchanged since it last passed: not run (pytest --cache-clear or --workshop-no-cache runs it)"
SKIP_LINE = "SKIPPED [[]1[]] docs/index.md:64: Not run in CI: needs a cloud account"


@pytest.fixture
def site(pytester):
    """The fixture site: one session of `tiny` (8 blocks) and one block skipped with a reason."""
    shutil.copytree(SITE, pytester.path, dirs_exist_ok=True)
    pytester.makeini("[pytest]\ntestpaths = docs\naddopts = -ra --strict-markers\n")
    return pytester


def keys(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if re.fullmatch(r"[0-9a-f]{64}", p.name)) if folder.is_dir() else []


# 1. The marker


def test_every_block_item_carries_a_registered_workshop_blocks_marker(site):
    kept = site.runpytest_subprocess("-p", "no:cacheprovider", "-m", "workshop_blocks")
    kept.assert_outcomes(passed=1, skipped=1)  # --strict-markers (the ini's addopts) accepts the marker
    left_out = site.runpytest_subprocess("-p", "no:cacheprovider", "-m", "not workshop_blocks")
    left_out.assert_outcomes(deselected=2)
    markers = site.runpytest_subprocess("--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.workshop_blocks: *"])


# 2. The cache under pytest's cache folder


def test_passes_are_remembered_in_pytest_cache_and_cache_clear_forgets_them(site):
    site.runpytest_subprocess().assert_outcomes(passed=1, skipped=1)
    folder = site.path / ".pytest_cache/d/workshop-blocks"
    assert len(keys(folder)) == 1
    assert not (site.path / ".cache").exists()  # the old default folder is not used any more
    site.runpytest_subprocess().assert_outcomes(skipped=1, deselected=1)
    site.runpytest_subprocess("--cache-clear").assert_outcomes(passed=1, skipped=1)


def test_without_the_cacheprovider_the_block_cache_is_off_unless_a_folder_is_given(site):
    for _ in range(2):
        site.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, skipped=1)
    assert not (site.path / ".pytest_cache").exists()
    site.runpytest_subprocess("-p", "no:cacheprovider", "--workshop-cache-dir", "mine").assert_outcomes(
        passed=1, skipped=1)
    assert len(keys(site.path / "mine")) == 1
    site.runpytest_subprocess("-p", "no:cacheprovider", "--workshop-cache-dir", "mine").assert_outcomes(
        skipped=1, deselected=1)
    # --cache-clear forgets the passes of an explicit folder too (and removes nothing else there).
    (site.path / "mine/notes.txt").write_text("mine")
    site.runpytest_subprocess("--workshop-cache-dir", "mine", "--cache-clear").assert_outcomes(passed=1, skipped=1)
    assert (site.path / "mine/notes.txt").is_file()


def test_xdist_workers_share_the_controllers_cache(site):
    cold = site.runpytest_subprocess("-n", "2")
    cold.assert_outcomes(passed=1, skipped=1)
    assert len(keys(site.path / ".pytest_cache/d/workshop-blocks")) == 1
    warm = site.runpytest_subprocess("-n", "2")
    warm.assert_outcomes(skipped=1)
    warm.stdout.fnmatch_lines([CACHED, "(site) * 9 * 0 * 0 * 0 * 8 * 1", SKIP_LINE])
    site.runpytest_subprocess("-n", "2", "--cache-clear").assert_outcomes(passed=1, skipped=1)


# 3. Prefixed options, ini equivalents, the old names as hidden aliases


def test_options_have_a_common_prefix_and_ini_equivalents(site):
    result = site.runpytest_subprocess("--help")
    names = ["mkdocs-config", "examples-dir", "no-cache", "cache-dir", "block-timeout", "lock-file", "update-output"]
    for name in names:
        result.stdout.fnmatch_lines([f"*--workshop-{name}*", f"*workshop_{name.replace('-', '_')} *"])
    for old in ("--mkdocs-config", "--examples-dir", "--no-block-cache", "--block-cache-dir", "--block-timeout",
                "--lock-file", "--update-block-output"):
        assert re.search(rf"(?<![\w-]){old}\b", result.stdout.str()) is None, f"{old} shows in --help"


def test_the_command_line_wins_over_the_ini_file_and_the_ini_file_over_the_default(site):
    site.makeini("[pytest]\ntestpaths = docs\nworkshop_cache_dir = from-ini\n")
    site.runpytest_subprocess().assert_outcomes(passed=1, skipped=1)
    assert len(keys(site.path / "from-ini")) == 1 and not (site.path / ".pytest_cache/d/workshop-blocks").exists()
    site.runpytest_subprocess("--workshop-cache-dir", "from-cli").assert_outcomes(passed=1, skipped=1)
    assert len(keys(site.path / "from-cli")) == 1
    site.makeini("[pytest]\ntestpaths = docs\nworkshop_cache_dir = from-ini\nworkshop_no_cache = true\n")
    site.runpytest_subprocess().assert_outcomes(passed=1, skipped=1)  # known good, run all the same

    (site.path / "docs/index.md").write_text('# Slow\n\n```bash project="tiny"\nsleep 3\n```\n')
    site.makeini("[pytest]\ntestpaths = docs\nworkshop_no_cache = true\nworkshop_block_timeout = 1\n")
    slow = site.runpytest_subprocess()
    slow.assert_outcomes(failed=1)
    slow.stdout.fnmatch_lines(["*timed out after 1 s*"])
    site.runpytest_subprocess("--workshop-block-timeout", "30").assert_outcomes(passed=1)


def test_a_site_in_another_folder_is_found_through_the_ini_file(site):
    (site.path / "sub").mkdir()
    for name in ("mkdocs.yml", "docs", "snippets", "examples"):
        shutil.move(site.path / name, site.path / "sub" / name)
    site.makeini("[pytest]\ntestpaths = sub/docs\nworkshop_mkdocs_config = sub/mkdocs.yml\n"
                 "workshop_examples_dir = sub/examples\n")
    site.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, skipped=1)


def test_the_old_option_names_still_work_with_a_deprecation_warning(site):
    result = site.runpytest_subprocess("-p", "no:cacheprovider", "--block-cache-dir", "old", "--block-timeout", "60")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["*PytestDeprecationWarning: --block-cache-dir is deprecated: use --workshop-cache-dir*"])
    assert len(keys(site.path / "old")) == 1
    again = site.runpytest_subprocess("-p", "no:cacheprovider", "--block-cache-dir", "old", "--no-block-cache")
    again.assert_outcomes(passed=1, skipped=1)


# 4. Cached sessions are deselected, and said so


def test_cached_sessions_are_deselected_and_counted_not_skipped(site):
    site.runpytest_subprocess().assert_outcomes(passed=1, skipped=1)
    warm = site.runpytest_subprocess("-v")
    warm.assert_outcomes(skipped=1, deselected=1)
    warm.stdout.fnmatch_lines(["*code blocks of the site*", CACHED, "(site) * 9 * 0 * 0 * 0 * 8 * 1", SKIP_LINE,
                               "*1 skipped, 1 deselected*"])
    assert "session[tiny]" not in warm.stdout.str() and "unchanged since it last passed (" not in warm.stdout.str()


def test_a_page_whose_sessions_all_passed_before_is_a_success(site):
    page = site.path / "docs/index.md"
    page.write_text(page.read_text().split('```bash skip=')[0])
    site.runpytest_subprocess().assert_outcomes(passed=1)
    warm = site.runpytest_subprocess()
    warm.assert_outcomes(deselected=1)
    assert warm.ret == pytest.ExitCode.OK  # not 5, "no tests collected"


def test_update_mode_runs_every_session_even_cached_ones(site):
    site.runpytest_subprocess().assert_outcomes(passed=1, skipped=1)
    update = site.runpytest_subprocess("--workshop-update-output")
    update.assert_outcomes(passed=1, skipped=1)
    assert "unchanged since" not in update.stdout.str()


# 5. No private pytest API


def test_the_plugin_uses_no_private_pytest_api():
    """Names in the code (comments may explain what is avoided)."""
    private = {"_tmp_path_factory", "_use_item_location", "_ispytest", "_fixturemanager", "_pytest", "_store"}
    for module in (workshop_kit.pytest_plugin, workshop_kit.blocks.pytest_items, workshop_kit.blocks.cache,
                   workshop_kit.blocks.report):
        with open(module.__file__, "rb") as source:
            names = {token.string for token in tokenize.tokenize(source.readline) if token.type == tokenize.NAME}
        assert not names & private, f"{module.__name__}: {sorted(names & private)}"


def test_a_failed_sessions_copy_is_kept_and_named_and_a_passed_one_leaves_nothing(site, monkeypatch):
    tmp = site.path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))

    def ours() -> list[Path]:
        return sorted(tmp.glob("workshop-blocks-*"))

    site.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, skipped=1)
    assert ours() == []
    page = site.path / "docs/index.md"
    page.write_text(page.read_text().replace("step 2\n    $ python", "step 3\n    $ python"))
    failed = site.runpytest_subprocess("-p", "no:cacheprovider")
    failed.assert_outcomes(failed=1, skipped=1)
    kept = re.search(r"the session's working copy is kept in (\S+)", failed.stdout.str())
    assert kept, failed.stdout.str()
    assert Path(kept[1]).parent in ours() and (Path(kept[1]) / "tiny/dvc.yaml").is_file()
    # The next run that runs a session removes the copies of runs that have ended.
    page.write_text(page.read_text().replace("step 3\n    $ python", "step 2\n    $ python"))
    site.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1, skipped=1)
    assert ours() == []


def test_a_skipped_block_is_reported_at_its_page_and_line(site):
    result = site.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines([SKIP_LINE])


# 6. The browser fixture


BROWSER_TEST = "def test_page(chromium_browser):\n    pass\n"


@pytest.mark.parametrize("ci", [None, "false", "0"])
def test_without_chromium_browser_tests_are_skipped_outside_ci(pytester, monkeypatch, ci):
    monkeypatch.setenv("WORKSHOP_KIT_CHROMIUM", str(pytester.path / "no-chromium"))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makepyfile(test_browser=BROWSER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["SKIPPED*no-chromium not found: run `make system-deps`*"])


@pytest.mark.parametrize("ci", ["true", "1"])
def test_without_chromium_browser_tests_fail_in_ci(pytester, monkeypatch, ci):
    monkeypatch.setenv("WORKSHOP_KIT_CHROMIUM", str(pytester.path / "no-chromium"))
    monkeypatch.setenv("CI", ci)
    pytester.makepyfile(test_browser=BROWSER_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no-chromium not found: run `make system-deps`*; CI needs it*"])
