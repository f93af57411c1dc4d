"""A hostile site (issue 23): pages, symlinks and a kit that try to leave their roots, inject
arguments, ship raw syntax, hide secrets or mislead; each with the line and words that `workshop
check` and the strict build must both report.

Built at run time (`write_corpus`), so that no real-looking secret and no symlink to a system file
sits in the repository. `OUTSIDE` holds what lies outside the site: the targets of its symlinks,
and where its payloads try to write (`PLANTED`: none of them may exist after any entry point).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "gates"))
from gate_sites import write_site  # noqa: E402

# (page under docs/, line or None, words of the message), as EXPECTED.txt of broken-pages.
EXPECTED: list[tuple[str, int | None, str]] = []
PAGES: dict[str, str] = {}


def page(name: str, text: str, *found: tuple[int | None, str]) -> None:
    PAGES[name] = text
    EXPECTED.extend((name, line, needle) for line, needle in found)


# §1 paths an author names, each outside its root.
page("path/project-parent.md", "---\nproject: ../docs\n---\n\n# P\n\n```bash\necho hi\n```\n",
     (2, "project '../docs' resolves to docs, outside examples/"))
page("path/project-up-to-etc.md", '# P\n\n```bash project="../../../../../../../../etc"\necho hi\n```\n',
     (3, "resolves to /etc, outside examples/"))
page("path/project-absolute.md", '# P\n\n```bash project="/etc"\necho hi\n```\n',
     (3, "project '/etc' is an absolute path"))
page("path/title-parent.md", '# P\n\n```yaml project="demo" title="../../x"\na: 1\n```\n',
     (3, 'title="../../x" resolves to x, outside examples/demo/'))
page("path/title-absolute.md", '# P\n\n```python project="demo" title="/tmp/x.py"\nprint(1)\n```\n',
     (3, "is an absolute path, but it must lie inside examples/demo/"))
page("path/setup-parent.md", "---\nproject: demo\nsetup: |\n  echo set\n  bash ../../outside/run.sh\n---\n\n"
     "# P\n\n```bash\necho hi\n```\n", (3, "setup: runs '../../outside/run.sh'"))
page("path/snippet-outside-roots.md", '# P\n\n--8<-- "../mkdocs.yml"\n',
     (3, "outside the folders includes come from (snippets/, examples/)"))
page("path/snippet-absolute.md", '# P\n\n--8<-- "/etc/hostname"\n',
     (3, "outside the folders includes come from"))
page("path/snippet-symlink.md", '# P\n\n--8<-- "leak.md"\n',
     (3, "snippets/leak.md is a symlink to"))
page("path/snippet-symlink-block-form.md", "# P\n\n--8<--\nnote.md\nleak.md\n--8<--\n",
     (5, "snippets/leak.md is a symlink to"))
page("path/snippet-nested-symlink.md", '# P\n\n--8<-- "outer.md"\n', (3, "snippets/leak.md is a symlink to"))
page("path/serves-a-file.md", '# P\n\n```bash project="demo" serves="file:///etc/passwd"\npython -m http.server\n```\n',
     (3, "must be the http:// URL on this machine"))

# §2 author values that would be options if handed to a program as they are.
page("inject/translated-from.md", "# T\n\nText.\n")
# (the French twin, written below, carries translated_from: "--output=<OUTSIDE>/planted-by-git-diff")

# §4 raw syntax the extensions never see.
page("raw/timing-in-blockquote.md", '# R\n\n> /// timing | Day\n>     start: "09:00"\n>\n> | Time | Session | Kind |\n'
     "> | --- | --- | --- |\n> | 30 min | Talk | talk |\n> ///\n",
     (3, "this '/// timing' table is not read as one"), (9, "this closing '///' would be shown as text"))
page("raw/tasks-in-table-cells.md", "# R\n\n| Step | Done |\n| --- | --- |\n| Build | - [ ] yes |\n| Ship | [x] |\n",
     (5, "'[ ]' or '[x]' here is not a checklist item"), (6, "is not a checklist item"))
page("raw/stray-closing.md", "# R\n\nSome text.\n\n///\n", (5, "closing '///' would be shown as text"))
page("raw/zero-width-items.md", "# R\n\n## S\n\n- [ ] \u200b\n- [ ] \u2060\n- [ ] &#8203;\n- [ ] Fine\n",
     (5, "U+200B zero width space"), (6, "U+2060 word joiner"), (7, "only what a reader cannot see"))
page("raw/blank-space-items.md", "# R\n\n## S\n\n- [ ] &nbsp;\n- [ ] &#x3000;\n- [ ] Fine\n",
     (5, "cannot see (U+00A0 no-break space)"), (6, "cannot see (U+3000 ideographic space)"))
page("raw/items-rendering-empty.md", "# R\n\n## S\n\n- [ ] **\u200b**\n- [ ] <span>\u2060</span>\n- [ ] Fine\n",
     (5, "cannot see (U+200B zero width space)"), (6, "cannot see (U+2060 word joiner)"))
# An include (snippets/raw-items.md, written by write_corpus) bringing a blank item and a task marker
# in a table cell: reported at the include's line, naming the file and its line.
page("raw/from-an-include.md", '# R\n\n## S\n\n--8<-- "raw-items.md"\n',
     (5, "snippets/raw-items.md:3, included here: this checklist item holds only what a reader cannot see"),
     (5, "snippets/raw-items.md:7, included here: '[ ]' or '[x]' here is not a checklist item"))

# §7 messages that said the wrong thing.
page("messages/fullwidth-colon.md", "# M\n\n/// timing | Day\n\n| Time | Session | Kind |\n| --- | --- | --- |\n"
     "| 09\uff1a00 - 09:30 | Wide | talk |\n///\n", (7, "fullwidth colon"))
page("messages/past-midnight.md", '# M\n\n/// timing | Night\n    start: "23:30"\n\n| Time | Session | Kind |\n'
     "| --- | --- | --- |\n| 23:30 - 00:30 | Late | talk |\n///\n", (8, "runs past midnight"))
page("messages/front-matter-line-two.md", "---\ntitle: M\nproject: 7\n---\n\n# M\n",
     (3, "front matter 'project' must be"))

# §5 secrets, one page per form, made at run time.
GITHUB_FINE_GRAINED = "github_pat_" + "11ABCDEFG0" * 2 + "ab_" + "Zx9" * 20
SLACK_TRIGGER = "https://hooks.slack.com/triggers/" + "T0ABCDEF1" + "/" + "1234567890123" + "/" + "f3" * 16
AWS_SECRET = "wJalrXUtnFEMI/" + "K7MDENG/bPxRfiCY" + "EXAMPLEKEY"
PEM_BODY = "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI"
page("secrets/github-fine-grained.md",
     f"# S\n\n```bash skip=\"needs a token\"\nexport GH_TOKEN={GITHUB_FINE_GRAINED}\n```\n",
     (4, "github fine-grained token"))
page("secrets/slack-trigger.md", f"# S\n\n```bash skip=\"needs Slack\"\ncurl -X POST \"{SLACK_TRIGGER}\"\n```\n",
     (4, "slack webhook"))
page("secrets/encrypted-key-in-yaml.md", "# S\n\n```yaml skip=\"deploy settings\"\ndeploy:\n  key: |\n"
     f"    -----BEGIN ENCRYPTED {'PRIVATE'} KEY-----\n    {PEM_BODY}\n    -----END ENCRYPTED PRIVATE KEY-----\n```\n",
     (6, "private key"))
page("secrets/openssh-key.md", f"# S\n\n```text skip=\"a key\"\n-----BEGIN OPENSSH {'PRIVATE'} KEY-----\n"
     "b3BlbnNzaC1rZXktdjEAAAAA\n```\n", (4, "private key"))
page("secrets/ec-key.md", f"# S\n\n```text skip=\"a key\"\n-----BEGIN EC {'PRIVATE'} KEY-----\nMHcCAQEEIBk\n```\n",
     (4, "private key"))
page("secrets/aws-after-continuation.md",
     "# S\n\n```bash skip=\"needs AWS\"\ndvc remote modify storage secret_access_key \\\n"
     f"    {AWS_SECRET}\n```\n", (4, "aws secret access key"))

# Pages written by write_corpus (their text names the folder outside the site).
EXPECTED.append(("kitdemo/handout.md", 10, "outside examples/demo/"))  # a kit block titled out of the project
EXPECTED.append(("messages/orphan.FR.md", None, "must be written '.fr': rename this page orphan.fr.md"))

# Whole-site problems (not a page): symlinks leaving the repository, a kit's writes through one.
SITE_EXPECTED = [
    ("docs/leak.txt", "is a symlink to"),
    ("examples/demo/leak.txt", "is a symlink to"),
    ("examples/demo/src", "is a symlink to"),
    ("snippets/leak.md", "is a symlink to"),
    ("mkdocs.yml", "workshop.kits.kitdemo.writes: 'src' leads through a symlink to"),
]
PAGE_LINK = ("leaked-page.md", 1, "is a symlink to")  # a page that is itself a symlink out of the repository

KIT = """\
  - workshop:
      kits:
        kitdemo:
          project: demo
          writes: [src]
"""


def planted(outside: Path) -> list[Path]:
    """Where the corpus's payloads try to write: none may exist after any entry point."""
    return [outside / "planted-by-git-diff", outside / "planted-by-title.py", outside / "planted-by-pip.log",
            outside / "planted-by-setup"]


def write_corpus(base: Path) -> tuple[Path, Path]:
    """The hostile site under base/site and what lies outside it under base/outside; returns both.
    The site is a Git repository with one commit (so `translated_from` reaches git for real)."""
    root, outside = base / "site", base / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text("TOP-SECRET-OUTSIDE-THE-REPOSITORY\n")
    (outside / "page.md").write_text("# Leaked\n\nTOP-SECRET-OUTSIDE-THE-REPOSITORY\n")
    (outside / "folder").mkdir()
    (outside / "folder" / "train.py").write_text("print('TOP-SECRET-OUTSIDE-THE-REPOSITORY')\n")
    (outside / "run.sh").write_text(f"touch {outside / 'planted-by-setup'}\n")
    pages = {f"{name}": text for name, text in PAGES.items()}
    # The one sound page: its session runs, in a temporary root of its own.
    pages["index.md"] = "---\nproject: demo\n---\n\n# Home\n\n```bash\necho made > made-in-session.txt\n```\n"
    pages["kitdemo/handout.md"] = ("---\nproject: demo\n---\n\n# Handout\n\n/// get-project\n///\n\n"
                                   '```python title="src/../../../../planted-by-title.py"\nprint(\'x\')\n```\n\n'
                                   '```bash skip="needs the network"\npip install --log '
                                   f"{outside / 'planted-by-pip.log'} -e .\n```\n")

    for name in list(pages):
        twin = name.replace(".md", ".fr.md")
        pages.setdefault(twin, pages[name])
    pages["inject/translated-from.fr.md"] = (
        f"---\ntitle: T\ntranslated_from: \"--output={outside / 'planted-by-git-diff'}\"\n"
                                             "---\n\n# T\n\nTexte.\n")
    # A translation whose language suffix is upper case: not told to create orphan.FR.fr.md.
    pages["messages/orphan.FR.md"] = "# Orphelin\n"
    config = write_site(root, pages, i18n=True, hook=False)
    text = config.read_text().replace("  - workshop\n", KIT)
    config.write_text(text)
    (root / "snippets" / "leak.md").symlink_to(outside / "secret.txt")
    (root / "snippets" / "outer.md").write_text('Outer.\n\n--8<-- "leak.md"\n')
    (root / "snippets" / "raw-items.md").write_text("Items.\n\n- [ ] \u200b\n\n| A | B |\n| - | - |\n| x | [ ] y |\n")
    (root / "docs" / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "docs" / "leaked-page.md").symlink_to(outside / "page.md")
    (root / "docs" / "leaked-page.fr.md").symlink_to(outside / "page.md")
    (root / "examples" / "demo" / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "examples" / "demo" / "src").symlink_to(outside / "folder")
    (root / "examples" / "demo" / "setup.py").write_text("from setuptools import setup\nsetup(name='demo')\n")
    git = ["git", "-c", "user.name=Corpus", "-c", "user.email=corpus@example.invalid", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "corpus"], cwd=root, check=True)
    return root, outside
