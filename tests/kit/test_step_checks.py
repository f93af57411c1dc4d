"""Step checks (issue 26 §1): a `check` fence on a handout becomes a "Check this step" box whose
command the runner runs like any console block, proving it fails before its step and passes after."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import markdown
import pytest

from workshop_kit.blocks.index import read_site, site_kits, site_settings
from workshop_kit.blocks.run import BlockFailure, run_session
from workshop_kit.extensions.fences import FencesExtension, formatter, validator
from workshop_kit.extensions.source import SourcePage
from workshop_kit.kit.step_checks import StepCheckError, parse_conditions

SITE = Path(__file__).parents[1] / "fixtures" / "kit-site"
PAGE = Path("docs/tiny-workshop/handout.md")
TWIN = Path("docs/tiny-workshop/handout.fr.md")

WRITTEN = '''```check id="script" title="The counting script is written"
- file: src/count.py
  contains: argv
- run: [python, src/count.py, "2"]
  prints: "^2$"
```
'''
SETTINGS = '''```check id="settings" title="Five steps are set"
- file: settings.yaml
  key: steps
  contains: "steps: 5"
```
'''


def make_site(tmp_path: Path, first: str = WRITTEN, second: str = SETTINGS, french: str | None = None) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    page = root / PAGE
    text = page.read_text()
    text = text.replace('```yaml title="settings.yaml"', first + '\n```yaml title="settings.yaml"')
    text = text.rstrip("\n") + "\n\n" + second
    page.write_text(text)
    if french is not None:
        (root / TWIN).write_text(french)
    return root


def translate(text: str) -> str:
    return (text.replace('title="The counting script is written"', 'title="Le script de comptage est écrit"')
            .replace('title="Five steps are set"', 'title="Cinq pas sont réglés"'))


def read(root: Path):
    docs, snippets = site_settings(root / "mkdocs.yml")
    kits, repo_url = site_kits(root / "mkdocs.yml")
    return read_site(root, docs, root / "examples", snippets, None, kits, repo_url)


def test_each_check_fails_before_its_step_passes_after_and_ships_in_the_starter(tmp_path):
    root = make_site(tmp_path)
    root_page = (root / PAGE).read_text()
    (root / TWIN).write_text(translate(root_page))
    site = read(root)
    assert site.pages[PAGE].error is None and site.pages[TWIN].error is None
    (entry,) = site.sessions_of(PAGE)
    assert entry.pages == [PAGE, TWIN], "the French page's checks do not make it another session"
    session = entry.session
    boxes = [block for block in session.blocks if block.step]
    assert [block.code for block in boxes] == ["$ python check.py 1\nStep 1/2 ✓ The counting script is written\n",
                                               "$ python check.py 2\nStep 2/2 ✓ Five steps are set\n"]
    assert [twin.code for twin in session.translations["script"]] == [
        "$ python check.py --lang fr 1\nÉtape 1/2 ✓ Le script de comptage est écrit\n"]
    spec = json.loads(session.kit_files["workshop-checks.json"])
    assert spec["kit"] == "tiny-workshop" and [step["id"] for step in spec["steps"]] == ["script", "settings"]
    assert spec["steps"][1]["title"] == {"en": "Five steps are set", "fr": "Cinq pas sont réglés"}
    assert spec["pages"] == {"en": "/tiny-workshop/handout/", "fr": "/fr/tiny-workshop/handout/"}
    run_session(session, root / "examples", tmp_path / "work", timeout=300)
    participant = tmp_path / "work" / "participant" / "tiny-workshop-starter"
    # The session ended with the catch-up proof (issue 26 §2): the folder replayed from checkpoint 2,
    # the participant's files in a dated backup beside it.
    assert (tmp_path / "work" / "participant" / "tiny-workshop-step-2.zip").is_file()
    (backup,) = (tmp_path / "work" / "participant").glob("tiny-workshop-starter-backup-*")
    assert (backup / "src" / "count.py").is_file() and (participant / "src" / "count.py").is_file()
    # The starter the participant unpacked had check.py and its spec beside the project.
    with zipfile.ZipFile(tmp_path / "work" / "participant" / "tiny-workshop-starter.zip") as archive:
        assert {"tiny-workshop-starter/check.py", "tiny-workshop-starter/workshop-checks.json"} \
            <= set(archive.namelist())
    done = subprocess.run([sys.executable, "check.py", "--lang", "fr"], cwd=participant, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == ["Étape 1/2 ✓ Le script de comptage est écrit",
                                        "Étape 2/2 ✓ Cinq pas sont réglés",
                                        "Les 2 étapes sont faites."]


def test_a_check_that_cannot_fail_is_an_error_at_its_line(tmp_path):
    always = '''```check id="script" title="The data are there"
- file: data.txt
```
'''
    root = make_site(tmp_path, first=always)
    site = read(root)
    (entry,) = site.sessions_of(PAGE)
    with pytest.raises(BlockFailure) as caught:
        run_session(entry.session, root / "examples", tmp_path / "work", timeout=300)
    box = next(block for block in entry.session.blocks if block.step)
    assert caught.value.block is box
    assert "already passes" in caught.value.reason and "cannot fail" in caught.value.reason


def test_a_check_that_never_passes_fails_the_session_at_its_box(tmp_path):
    wrong = SETTINGS.replace('"steps: 5"', '"steps: 7"')
    root = make_site(tmp_path, second=wrong)
    site = read(root)
    (entry,) = site.sessions_of(PAGE)
    with pytest.raises(BlockFailure) as caught:
        run_session(entry.session, root / "examples", tmp_path / "work", timeout=300)
    assert caught.value.block.step.id == "settings"
    assert "Step 2/2 ✗ Five steps are set: settings.yaml does not contain “steps: 7”" in caught.value.output


def test_a_translation_with_other_ids_or_conditions_is_refused_at_its_line(tmp_path):
    root = make_site(tmp_path)
    text = translate((root / PAGE).read_text())
    (root / TWIN).write_text(text.replace('id="settings"', 'id="reglages"'))
    site = read(root)
    error = site.pages[TWIN].error
    assert error is not None and error.path == TWIN and "keep the source's ids and order" in error.message
    assert error.line == text.splitlines().index(next(line for line in text.splitlines() if "reglages" in line
                                                      or 'id="settings"' in line)) + 1
    (root / TWIN).write_text(text.replace("steps: 5", "steps: 6"))
    assert "changes the title only" in read(root).pages[TWIN].error.message


@pytest.mark.parametrize("body, message", [
    ("", "at least one condition"),
    ("- file: ../secrets.txt\n", "only inside the project"),
    ("- file: /etc/passwd\n", "only inside the project"),
    ("- run: [/bin/rm, -rf, x]\n", "bare name"),
    ("- run: dvc status\n", "list of words"),
    ("- url: http://example.org/\n", "participant's own machine"),
    ("- file: a\n  run: [b]\n", "exactly one of"),
    ("- file: a\n  exits: 1\n", "not exits"),
    ("- run: [dvc]\n  prints: \"(\"\n", "not a valid regular expression"),
    ("- python: check.sh\n", ".py script"),
    ("- file: a\n- [x\n", "not valid YAML"),
])
def test_bad_conditions_say_what_to_write(body, message):
    with pytest.raises(StepCheckError) as caught:
        parse_conditions(body)
    assert message in str(caught.value)


def test_a_bad_check_fence_fails_collection_at_its_line(tmp_path):
    bad = '''```check id="script" title="Written"
- file: src/count.py
- run: [../x]
```
'''
    root = make_site(tmp_path, first=bad)
    error = read(root).pages[PAGE].error
    lines = (root / PAGE).read_text().splitlines()
    assert error is not None and error.line == lines.index("- run: [../x]") + 1 and "bare name" in error.message
    root = make_site(tmp_path / "2", first=WRITTEN.replace(' title="The counting script is written"', ""))
    assert "needs title=" in read(root).pages[PAGE].error.message


def render(text: str, lang: str) -> str:
    page = SourcePage(lang=lang)
    md = markdown.Markdown(extensions=["admonition", FencesExtension(page=page), "pymdownx.superfences"],
                           extension_configs={"pymdownx.superfences": {"custom_fences": [
                               {"name": "*", "class": "highlight", "validator": validator, "format": formatter}]}})
    return md.convert(text)


def test_the_box_gives_the_command_in_the_page_s_language_and_escapes_the_title():
    html = render(WRITTEN.replace("is written", "<is> written") + "\n" + SETTINGS, "en")
    assert html.count('class="admonition success wk-check"') == 2 and 'id="check-script"' in html
    assert 'data-copy="python check.py 1"' in html and 'data-copy="python check.py 2"' in html
    assert "Step 1/2 ✓ The counting script &lt;is&gt; written" in html and "<is>" not in html
    french = render(translate(WRITTEN), "fr")
    assert 'data-copy="python check.py --lang fr 1"' in french
    assert "Étape 1/1 ✓ Le script de comptage est écrit" in french
    assert "Vérifiez cette étape" in french


def test_a_replay_that_cannot_reach_a_step_fails_the_session_at_the_page_line_that_failed(tmp_path):
    """The catch-up proof (issue 26 §2): a command that only works once, because it leaves state
    beside the project where the catch-up cannot see it, fails the session at its own block."""
    once = '```console\n$ mkdir "$(dirname "$PWD")/once"\n```\n\n'
    root = make_site(tmp_path, first=once + WRITTEN)
    site = read(root)
    (entry,) = site.sessions_of(PAGE)
    with pytest.raises(BlockFailure) as caught:
        run_session(entry.session, root / "examples", tmp_path / "work", timeout=300)
    block = next(block for block in entry.session.blocks if "/once" in block.code)
    assert caught.value.block is block
    assert f"✗ The catch-up stopped at step 1/2 ({block.where})" in caught.value.reason
    assert "exited with 1 (expected 0)" in caught.value.output and "File exists" in caught.value.output
