"""The "Get the project" box: a page line `/// get-project` (closed by `///`) becomes Markdown.

`/// get-project` offers the kit named like the page's workshop folder; `/// get-project | name`
another kit (a workshop with two projects has two kits).

The same expansion feeds the renderer (a Python-Markdown preprocessor, before fenced code is
read) and the block collector (which expands the page the way it expands snippets), so the
commands a participant reads in the box are the commands the tests run, in the same order.
Its first block carries `kit="<workshop>"`: the session that runs it starts in an empty folder
holding the workshop's starter zip, as a participant's downloads folder would.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

from markdown import Extension
from markdown.preprocessors import Preprocessor

from ..kit.config import Kit, KitError, workshop_of
from .fenced import FENCE
from .source import SourcePage

OPEN = re.compile(r"^///[ \t]+get-project[ \t]*(?:\|[ \t]*(?P<kit>[\w.-]+))?[ \t]*$")
CLOSE = re.compile(r"^///[ \t]*$")

TEXT = {
    "en": {
        "title": "Get the project",
        "download": "Download **{zip}**, the project as the workshop starts. Unpack it, enter its folder "
                    "and install its requirements in a virtual environment (Python 3.11 or 3.12):",
        "git": "The workshop works in a Git repository: the commands also make the folder one, with a "
               "first commit. Git needs a name and an e-mail address to commit; on a laptop where Git was "
               "never set up, the two `git config` lines give this repository a stand-in (a name you already "
               "set is kept). Set your own at any time with `git config --global user.name \"...\"` and "
               "`git config --global user.email ...`.",
        "torch_cpu": "**On Linux**, install PyTorch's CPU build before the requirements: PyPI's Linux build "
                     "brings NVIDIA's CUDA libraries, about 5 GB a laptop without an NVIDIA GPU cannot use. "
                     "On macOS and Windows, skip this line: PyPI's build is the right one there.",
        "skip_torch_cpu": "downloads from PyTorch's own package index, which the tests cannot reach; "
                          "they install PyPI's build",
        "clone": "Or take the same project from the site's repository with Git: these commands copy it out "
                 "of the clone and leave it as the download has it (the repository holds the finished "
                 "project, so they remove the files you will write). Then install its requirements as above:",
        "clone_plain": "Or take the same project from the site's repository with Git: these commands copy it "
                       "out of the clone and leave it as the download has it. Then install its requirements "
                       "as above:",
        "offline": "In a room without internet, the speaker can serve the packages from their laptop (`workshop "
                   "bundle serve`): install from there, with the address they give, instead of the last line: "
                   "`pip install --index-url http://<speaker's address>:8765/simple -r requirements.txt`.",
        "skip_windows": "PowerShell on Windows; the tests run the Linux / macOS tab, which does the same",
        "skip_clone": "clones the site's repository from GitHub; the tests run the download above, and check "
                      "that these commands give the same files",
        "notebook": "This notebook is <code>{notebook}</code> in <a href=\"{zip_url}\">{zip}</a>, the project as the "
                    "workshop starts.",
        "notebook_handout": " The <a href=\"{handout}\">participant handout</a> shows how to unpack it and install "
                            "its requirements, then start Jupyter.",
    },
    "fr": {
        "title": "Récupérer le projet",
        "download": "Téléchargez **{zip}**, le projet tel que l'atelier le prend au départ. Décompressez-le, "
                    "entrez dans son dossier et installez ses dépendances dans un environnement virtuel "
                    "(Python 3.11 ou 3.12) :",
        "git": "L'atelier travaille dans un dépôt Git : les commandes font aussi du dossier un dépôt, avec "
               "un premier commit. Git a besoin d'un nom et d'une adresse e-mail pour valider (commit) ; sur "
               "un ordinateur où Git n'a jamais été configuré, les deux lignes `git config` en donnent un "
               "provisoire à ce dépôt (un nom déjà configuré est gardé). Donnez les vôtres quand vous voulez "
               "avec `git config --global user.name \"...\"` et `git config --global user.email ...`.",
        "torch_cpu": "**Sous Linux**, installez la version CPU de PyTorch avant les dépendances : la version "
                     "Linux de PyPI apporte les bibliothèques CUDA de NVIDIA, environ 5 Go inutiles sur un "
                     "ordinateur sans GPU NVIDIA. Sous macOS et Windows, passez cette ligne : la version de PyPI "
                     "est la bonne.",
        "skip_torch_cpu": "télécharge depuis l'index de paquets de PyTorch, que les tests ne peuvent pas "
                          "joindre ; ils installent la version de PyPI",
        "clone": "Ou prenez le même projet dans le dépôt du site, avec Git : ces commandes le copient hors du "
                 "clone et le laissent tel que le téléchargement le donne (le dépôt contient le projet terminé, "
                 "elles retirent donc les fichiers que vous allez écrire). Installez ensuite ses dépendances "
                 "comme ci-dessus :",
        "clone_plain": "Ou prenez le même projet dans le dépôt du site, avec Git : ces commandes le copient hors "
                       "du clone et le laissent tel que le téléchargement le donne. Installez ensuite ses "
                       "dépendances comme ci-dessus :",
        "offline": "Dans une salle sans internet, l'intervenant peut servir les paquets depuis son ordinateur "
                   "(`workshop bundle serve`) : installez-les alors depuis l'adresse qu'il donne, au lieu de la "
                   "dernière ligne : `pip install --index-url http://<adresse de l'intervenant>:8765/simple -r "
                   "requirements.txt`.",
        "skip_windows": "PowerShell sous Windows ; les tests exécutent l'onglet Linux / macOS, qui fait la même chose",
        "skip_clone": "clone le dépôt du site depuis GitHub ; les tests exécutent le téléchargement ci-dessus "
                      "et vérifient que ces commandes donnent les mêmes fichiers",
        "notebook": "Ce notebook est <code>{notebook}</code> dans <a href=\"{zip_url}\">{zip}</a>, le projet tel que "
                    "l'atelier le prend au départ.",
        "notebook_handout": " La <a href=\"{handout}\">fiche participant</a> montre comment le décompresser "
                            "et installer ses dépendances, puis lancer Jupyter.",
    },
}


DOWNLOADS = "downloads"  # the site folder holding every kit's zips


def download_link(page_path: str, file_name: str) -> str:
    """A link from the page (relative to docs/) to a file of the downloads folder."""
    depth = len(PurePosixPath(page_path).parts) - 1
    return "../" * depth + f"{DOWNLOADS}/{file_name}"


def box_lines(kit: Kit, lang: str, repo_url: str = "", page_path: str = "index.md") -> list[str]:
    """The box in `lang` (English when the language has no text), as Markdown lines."""
    text = TEXT.get(lang, TEXT["en"])
    name = kit.starter_name
    link = f"[{name}.zip]({download_link(page_path, name + '.zip')})"
    out = [f'!!! kit "{text["title"]}"', "", "    " + text["download"].format(zip=link), ""]
    if kit.git:
        out += ["    " + text["git"], ""]
    linux = [f"$ python3 -m zipfile -e {name}.zip .", f"$ cd {name}"]
    windows = [f"py -m zipfile -e {name}.zip .", f"cd {name}"]
    if kit.git:
        linux += [f"$ {line}" for line in git_start(posix=True)]
        windows += git_start(posix=False)
    # A virtual environment with the project's requirements; pip's progress is not compared.
    linux += ["$ python3 -m venv .venv", "$ source .venv/bin/activate"]
    windows += ["py -m venv .venv", ".venv\\Scripts\\Activate.ps1"]
    install = "pip install -r requirements.txt"
    tab = "        "
    linux_tab = [f'{tab}```console kit="{kit.workshop}" project="{kit.project}"', *[tab + line for line in linux]]
    if kit.torch_cpu:
        # The CPU build first, in a block of its own; the requirements then find PyTorch installed.
        linux_tab += [f"{tab}```", "", tab + text["torch_cpu"], "", f'{tab}```bash skip="{text["skip_torch_cpu"]}"',
                      f"{tab}{TORCH_CPU}", f"{tab}```", "", f'{tab}```console project="{kit.project}"']
    linux_tab += [f"{tab}$ {install}", f"{tab}...", f"{tab}```"]
    out += ['    === "Linux / macOS"', "", *linux_tab, "", '    === "Windows (PowerShell)"', "",
            f'        ```powershell skip="{text["skip_windows"]}"', *[tab + line for line in windows + [install]],
            "        ```", "", "    " + text["offline"], ""]
    if repo_url:
        out += ["    " + (text["clone"] if kit.writes else text["clone_plain"]), "",
                f'    ```bash skip="{text["skip_clone"]}"', *[f"    {line}" for line in clone_commands(kit, repo_url)],
                "    ```", ""]
    return out


TORCH_CPU = "pip install torch torchvision --index-url https://download.pytorch.org/whl/cpu"
_IDENTITY = (("user.name", "Workshop participant"), ("user.email", "participant@example.com"))


def git_start(*, posix: bool) -> list[str]:
    """A repository with the project as its first commit. A fresh laptop has no Git identity and
    `git commit` would stop ("Author identity unknown"): the repository gets a stand-in, set in
    the repository alone and only where none is set."""
    if posix:
        identity = [f'git config {key} >/dev/null || git config {key} "{value}"' for key, value in _IDENTITY]
    else:
        identity = [f'if (-not (git config {key})) {{ git config {key} "{value}" }}' for key, value in _IDENTITY]
    return ["git init -q", *identity, "git add -A", 'git commit -q -m "Workshop starting point"']


def clone_commands(kit: Kit, repo_url: str) -> list[str]:
    """The clone variant: the project copied out of a clone of the site's repository (inside it,
    `dvc init` would refuse a subfolder of another repository), less what the starter leaves out,
    and made a repository of its own like the download."""
    repo_url = repo_url.rstrip("/")
    folder = repo_url.rsplit("/", 1)[-1].removesuffix(".git")
    commands = [f"git clone {repo_url}.git", f"cp -r {folder}/examples/{kit.project} {kit.starter_name}",
                f"cd {kit.starter_name}"]
    if kit.writes or kit.omits:
        commands.append("rm -rf " + " ".join([*kit.writes, *kit.omits]))
    if kit.git:
        commands += git_start(posix=True)
    return commands


def notebook_box_html(kit: Kit, lang: str, zip_url: str, notebook: str, handout_url: str = "") -> str:
    """The box on a notebook page (rendered by mkdocs-jupyter, so written as HTML): where the
    notebook lives and where the handout's box shows the commands."""
    text = TEXT.get(lang, TEXT["en"])
    body = text["notebook"].format(notebook=html.escape(notebook), zip_url=html.escape(zip_url, quote=True),
                                   zip=html.escape(kit.starter_name + ".zip"))
    if handout_url:
        body += text["notebook_handout"].format(handout=html.escape(handout_url, quote=True))
    return (f'<div class="admonition kit"><p class="admonition-title">{html.escape(text["title"])}</p>'
            f"<p>{body}</p></div>")


def expand(lines: list[str], kits: dict[str, Kit], page_path: str, lang: str, repo_url: str = ""
           ) -> list[tuple[str, int]]:
    """Each line with its 0-based index in `lines`; a directive becomes the box, every box line
    mapped to the directive's own line. Raises KitError (with the 1-based line) on a bad directive."""
    out: list[tuple[str, int]] = []
    fence = ""  # the fence a code block was opened with: a directive shown inside one is only text
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening and (not fence or (opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence)
                                      and not lines[i].strip()[len(opening.group(1)):].strip())):
            fence = "" if fence else opening.group(1)
        match = None if fence else OPEN.match(lines[i])
        if not match:
            out.append((lines[i], i))
            i += 1
            continue
        workshop = match.group("kit") or workshop_of(page_path)
        if i + 1 >= len(lines) or not CLOSE.match(lines[i + 1]):
            raise KitError(f"line {i + 1}: close '/// get-project' with a line '///' right below it")
        if workshop not in kits:
            known = ", ".join(sorted(kits)) or "none yet"
            raise KitError(f"line {i + 1}: no kit for workshop '{workshop}'; add it under the workshop plugin's "
                           f"'kits:' in mkdocs.yml (kits: {known})")
        out += [(line, i) for line in box_lines(kits[workshop], lang, repo_url, page_path)]
        i += 2
    return out


class KitBoxPreprocessor(Preprocessor):
    def __init__(self, md, extension: KitBoxExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        ext = self.extension
        page: SourcePage = ext.getConfig("page")
        try:
            return [line for line, _ in expand(lines, ext.getConfig("kits"), page.path, page.lang,
                                               ext.getConfig("repo_url"))]
        except KitError as err:
            reporter = ext.getConfig("reporter")
            if not callable(reporter):
                raise
            reporter(f"{page.path}: {err}", page)
            return lines


class KitBoxExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "kits": [{}, "workshop folder -> Kit"],
            "repo_url": ["", "the site's repository, for the `git clone` variant"],
            "page": [SourcePage(), "the page being rendered (its path and language)"],
            # Not None: Python-Markdown would turn a callable given for a None default into a bool.
            "reporter": ["", "called with (message, page) instead of raising"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Before snippets (32) and fenced code (25): the box holds fences.
        md.preprocessors.register(KitBoxPreprocessor(md, self), "workshop_kit_box", 33)
        md.registerExtension(self)
