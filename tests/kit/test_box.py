"""The "Get the project" box: the same Markdown for the page and for the tests."""

from pathlib import Path

import markdown
import pytest

from workshop_kit.blocks.collect import scan
from workshop_kit.kit.box import KitBoxExtension, box_lines, download_link, expand
from workshop_kit.kit.config import Kit, KitError
from workshop_kit.extensions.source import SourcePage

KIT = Kit("nb", "pokemon-dvc", writes=("dvc.yaml",), git=True)
KITS = {"nb": KIT, "tour": Kit("tour", "dvc-prefect")}


def test_the_box_downloads_unpacks_enters_and_installs_in_both_shells():
    text = "\n".join(box_lines(KIT, "en", "https://github.com/o/workshop-kit", "nb/handout.md"))
    assert "[nb-starter.zip](../downloads/nb-starter.zip)" in text
    for line in ("$ python3 -m zipfile -e nb-starter.zip .", "$ cd nb-starter", "$ git init -q",
                 "$ source .venv/bin/activate", "$ pip install -r requirements.txt", "py -m zipfile -e nb-starter.zip .",
                 ".venv\\Scripts\\Activate.ps1", "git clone https://github.com/o/workshop-kit.git",
                 "cp -r workshop-kit/examples/pokemon-dvc nb-starter", "rm -rf dvc.yaml tests"):
        assert line in text
    assert "Python 3.11 or 3.12" in text


def test_the_box_speaks_the_pages_language():
    text = "\n".join(box_lines(KIT, "fr"))
    assert "Récupérer le projet" in text and "Téléchargez" in text and "git clone" not in text


def test_download_links_climb_to_the_site_root():
    assert download_link("handout.md", "a.zip") == "downloads/a.zip"
    assert download_link("w/sub/handout.md", "a.zip") == "../../downloads/a.zip"


def test_every_box_line_points_back_at_the_directive():
    lines = ["# T", "", "/// get-project | tour", "///", "after"]
    expanded = expand(lines, KITS, "nb/handout.md", "en")
    assert expanded[0] == ("# T", 0) and expanded[-1] == ("after", 4)
    assert {index for _, index in expanded[2:-1]} == {2}


@pytest.mark.parametrize("lines, message", [
    (["/// get-project"], "line 1: close '/// get-project'"),
    (["", "/// get-project | nope", "///"], "line 2: no kit for workshop 'nope'"),
])
def test_bad_directives_name_their_line(lines, message):
    with pytest.raises(KitError, match=message):
        expand(lines, KITS, "nb/handout.md", "en")


def test_the_collector_sees_the_box_blocks_at_the_directives_line():
    page = "---\nproject: pokemon-dvc\n---\n\n# T\n\n/// get-project\n///\n\n```bash\nls\n```\n"
    _, blocks = scan(Path("docs/nb/handout.md"), page, kits=KITS, page_path="nb/handout.md")
    assert [(block.lang, block.line) for block in blocks] == [("console", 7), ("powershell", 7), ("bash", 10)]
    assert blocks[0].options["kit"] == "nb" and blocks[1].skip


def test_the_collector_reports_a_bad_directive_with_its_page_line():
    from workshop_kit.blocks.model import BlockError

    with pytest.raises(BlockError) as caught:
        scan(Path("docs/nb/handout.md"), "---\nproject: x\n---\n\n/// get-project | nope\n///\n", kits=KITS,
             page_path="nb/handout.md")
    assert caught.value.line == 5 and "no kit" in caught.value.message


def test_rendered_with_python_markdown_alone():
    html = markdown.markdown("/// get-project\n///\n", extensions=[
        "admonition", "pymdownx.tabbed", "pymdownx.superfences",
        KitBoxExtension(kits=KITS, page=SourcePage(path="nb/handout.md", lang="fr"))])
    assert '<div class="admonition kit">' in html and "Récupérer le projet" in html
    assert "/// get-project" not in html


def test_a_bad_directive_is_reported_when_a_reporter_is_given():
    seen = []
    markdown.markdown("/// get-project | nope\n///\n", extensions=[
        KitBoxExtension(kits=KITS, page=SourcePage(path="nb/handout.md"), reporter=lambda m, p: seen.append(m))])
    assert seen and "nb/handout.md: line 1: no kit for workshop 'nope'" in seen[0]


WINDOWS_EQUIVALENT = {"python3": "py", "source .venv/bin/activate": ".venv\\Scripts\\Activate.ps1"}


@pytest.mark.parametrize("kit", [KIT, Kit("plain", "p")], ids=["git", "plain"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_windows_tab_gives_the_same_commands_in_powershell(kit, lang):
    _, blocks = scan(Path("docs/nb/handout.md"), "---\nproject: p\n---\n\n/// get-project | " + kit.workshop + "\n///\n",
                     kits={kit.workshop: kit}, page_path="nb/handout.fr.md" if lang == "fr" else "nb/handout.md")
    linux, windows = blocks[0], blocks[1]
    assert linux.lang == "console" and windows.lang == "powershell" and windows.skip
    commands = [line[2:] for line in linux.code.splitlines() if line.startswith("$ ")]
    translated = []
    for command in commands:
        for posix, powershell in WINDOWS_EQUIVALENT.items():
            command = powershell if command == posix else command.replace(posix + " ", powershell + " ", 1)
        translated.append(command)
    assert windows.code.splitlines() == translated


def test_a_directive_shown_inside_a_code_block_stays_text():
    lines = ["````markdown", "/// get-project | nope", "///", "````", "```", "/// get-project", "```"]
    assert [line for line, _ in expand(lines, KITS, "nb/handout.md", "en")] == lines


def test_the_clone_variant_gives_exactly_the_starter_s_files(tmp_path):
    """The `git clone` commands, run against this repository cloned from disk (the hosted one is
    out of reach here), leave the same files as the starter zip of the same commit, in a Git
    repository of their own."""
    import subprocess

    from workshop_kit.blocks.index import site_kits
    from workshop_kit.kit.archive import project_files, starter_files
    from workshop_kit.kit.box import clone_commands

    root = Path(__file__).parents[2]
    if not (root / ".git").is_dir():
        pytest.skip("this checkout is not a Git repository, so there is nothing to clone")
    kits, _ = site_kits(root / "mkdocs.yml")
    kit = kits["notebook-to-pipeline"]
    (tmp_path / "hosted").mkdir()
    (tmp_path / "hosted" / "workshop-kit.git").symlink_to(root / ".git")  # stands for <repo_url>.git
    commands = clone_commands(kit, f"file://{tmp_path}/hosted/workshop-kit")
    script = "set -e\n" + "\n".join(commands) + "\n"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    project = tmp_path / kit.starter_name
    cloned = tmp_path / "workshop-kit" / "examples"
    assert [f for f in project_files(project) if not f.startswith(".git/")] == starter_files(kit, cloned)
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, env=env)
    assert log.stdout.count("\n") == 1 and "Workshop starting point" in log.stdout
