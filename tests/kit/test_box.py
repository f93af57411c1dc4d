"""The "Get the project" box: the same Markdown for the page and for the tests."""

import re
from pathlib import Path

import markdown
import pytest

from workshop_kit.blocks.collect import scan
from workshop_kit.extensions.kit_box import KitBoxExtension, box_lines, download_link, expand
from workshop_kit.extensions.source import SourcePage
from workshop_kit.kit.config import Kit, KitError

KIT = Kit("nb", "pokemon-dvc", writes=("dvc.yaml",), git=True)
KITS = {"nb": KIT, "tour": Kit("tour", "dvc-prefect")}


def test_the_box_downloads_unpacks_enters_and_installs_in_both_shells():
    text = "\n".join(box_lines(KIT, "en", "https://github.com/o/workshop-kit", "nb/handout.md"))
    assert "[nb-starter.zip](../downloads/nb-starter.zip)" in text
    for line in ("$ python3 -m zipfile -e nb-starter.zip .", "$ cd nb-starter", "$ git init -q",
                 "$ source .venv/bin/activate", "$ pip install -r requirements.txt",
                 "py -m zipfile -e nb-starter.zip .",
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
    _, blocks = scan(Path("docs/nb/handout.md"),
                     "---\nproject: p\n---\n\n/// get-project | " + kit.workshop + "\n///\n",
                     kits={kit.workshop: kit}, page_path="nb/handout.fr.md" if lang == "fr" else "nb/handout.md")
    linux = [block for block in blocks if block.lang == "console"]
    windows = [block for block in blocks if block.lang == "powershell"]
    assert len(windows) == 1 and windows[0].skip
    commands = [line[2:] for block in linux for line in block.code.splitlines() if line.startswith("$ ")]
    translated = []
    for command in commands:
        for posix, powershell in WINDOWS_EQUIVALENT.items():
            command = powershell if command == posix else command.replace(posix + " ", powershell + " ", 1)
        # `git config k >/dev/null || git config k "v"`: PowerShell's `if (-not (...)) { ... }`
        command = re.sub(r"^git config (\S+) >/dev/null \|\| (git config .*)$",
                         r"if (-not (git config \1)) { \2 }", command)
        translated.append(command)
    assert windows[0].code.splitlines() == translated


@pytest.mark.parametrize("torch_cpu", [False, True])
def test_the_cpu_pytorch_line_comes_before_the_first_pip_install(torch_cpu):
    kit = Kit("rps", "p", torch_cpu=torch_cpu)
    _, blocks = scan(Path("docs/rps/handout.md"), "---\nproject: p\n---\n\n/// get-project | rps\n///\n",
                     kits={"rps": kit}, page_path="rps/handout.md")
    shell = [block for block in blocks if block.lang in ("console", "bash")]
    installs = [i for i, block in enumerate(shell) if "pip install" in block.code]
    cpu = [i for i, block in enumerate(shell) if "download.pytorch.org/whl/cpu" in block.code]
    assert bool(cpu) == torch_cpu
    if torch_cpu:
        assert cpu[0] == installs[0] and shell[cpu[0]].skip and "-r requirements.txt" in shell[installs[1]].code


@pytest.mark.parametrize("identity", [None, ("Ada", "ada@example.org")])
def test_the_git_lines_commit_on_a_fresh_laptop_and_keep_an_identity_already_set(tmp_path, identity):
    import subprocess

    from workshop_kit.extensions.kit_box import git_start

    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("" if identity is None
                                     else f"[user]\n\tname = {identity[0]}\n\temail = {identity[1]}\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "a.txt").write_text("a\n")
    done = subprocess.run(["bash", "-c", "set -e\n" + "\n".join(git_start(posix=True))], cwd=tmp_path / "p",
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    author = subprocess.run(["git", "log", "-1", "--format=%an <%ae>"], cwd=tmp_path / "p", env=env,
                            capture_output=True, text=True).stdout.strip()
    assert author == ("Workshop participant <participant@example.com>" if identity is None
                      else f"{identity[0]} <{identity[1]}>")


def test_a_directive_shown_inside_a_code_block_stays_text():
    lines = ["````markdown", "/// get-project | nope", "///", "````", "```", "/// get-project", "```"]
    assert [line for line, _ in expand(lines, KITS, "nb/handout.md", "en")] == lines


def test_the_clone_variant_gives_exactly_the_starter_s_files(tmp_path):
    """The `git clone` commands, run against this repository cloned from disk (the hosted one is
    out of reach here), leave the same files as the starter zip of the same commit, in a Git
    repository of their own."""
    import subprocess

    from workshop_kit.blocks.index import site_kits
    from workshop_kit.extensions.kit_box import clone_commands
    from workshop_kit.kit.archive import project_files, starter_files

    root = Path(__file__).parents[2]
    if not (root / ".git").is_dir():
        pytest.skip("this checkout is not a Git repository, so there is nothing to clone")
    kits, _ = site_kits(root / "mkdocs.yml")
    kit = kits["notebook-to-pipeline"]
    (tmp_path / "hosted").mkdir()
    (tmp_path / "hosted" / "workshop-kit.git").symlink_to(root / ".git")  # stands for <repo_url>.git
    commands = clone_commands(kit, f"file://{tmp_path}/hosted/workshop-kit")
    script = "set -e\n" + "\n".join(commands) + "\n"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}  # a fresh laptop: no identity
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    project = tmp_path / kit.starter_name
    cloned = tmp_path / "workshop-kit" / "examples"
    assert [f for f in project_files(project) if not f.startswith(".git/")] == starter_files(kit, cloned)
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, env=env)
    assert log.stdout.count("\n") == 1 and "Workshop starting point" in log.stdout


def test_the_box_says_how_to_install_from_an_offline_rooms_bundle():
    from workshop_kit.extensions.kit_box import box_lines
    from workshop_kit.kit.config import Kit

    kit = Kit("demo", "pokemon-dvc")
    english, french = "\n".join(box_lines(kit, "en")), "\n".join(box_lines(kit, "fr"))
    assert "`pip install --index-url http://<speaker's address>:8765/simple -r requirements.txt`" in english
    assert "`pip install --index-url http://<adresse de l'intervenant>:8765/simple -r requirements.txt`" in french
    assert "`workshop bundle serve`" in english and "`workshop bundle serve`" in french
