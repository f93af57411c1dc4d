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
                 "cd workshop-kit/examples/pokemon-dvc", "rm -r dvc.yaml"):
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
