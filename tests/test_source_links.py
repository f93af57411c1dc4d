"""Every public URL of the workshops' source documents is a link on the built site, in both languages.

The sources (the five documents the site is built from) name upstream repositories, data sets,
tool documentation and guides that a participant or speaker needs. `workshop links --report`
lists the built site's external URLs (never fetching them); each public source URL must be in
that report, linked from at least one English page and one French page.

The sources live outside the repository (`WORKSHOP_KIT_SEEDS`, by default /work/shared/seeds).
Where they are, the URLs are read from them with a regular expression and must equal the copy
below, so a changed source shows here; where they are not (CI), the copy is what is checked.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from workshop_kit.cli import main
from workshop_kit.linkcheck import check_site

SEEDS = Path(os.environ.get("WORKSHOP_KIT_SEEDS", "/work/shared/seeds"))
URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+")

# Source URLs that must not become links: private documents, shown as placeholders in prose.
EXCLUDED = {
    # The original team's notes on its AWS workshop account, in a private Notion workspace.
    "https://www.notion.so/iterative/AWS-Workshop-Account-9bd3e98a7f3e43e4af03d367da769ffd",
}

# The public URLs of the sources, as extracted below on 2026-11-23 (for runs without the sources).
SOURCE_URLS = {
    # gitops-dvc-studio-speaker-guide.md: the intro slides, shared by link (issue 25: a public link).
    "https://docs.google.com/presentation/d/1lkmbcvWCa5fuyJiTATT5dxSPkYDmQT_LMUJUkGlYKE8/edit?usp=sharing",
    # ml-tooling-day-run-of-show.md
    "https://github.com/caisr-hh/ml_tooling_tutorial",
    "https://github.com/caisr-hh/handson_mlflow_optuna",
    "https://github.com/caisr-hh/dvc_prefect_demo",
    # notebook-to-dvc-pipeline-workshop.md
    "https://github.com/iterative/example-pokemon-classifier",
    "https://www.python.org/downloads/",
    "https://virtualenv.pypa.io/en/latest/installation.html",
    "https://www.kaggle.com/datasets/robdewit/pokemon-images",
    "https://www.kaggle.com/datasets/rounakbanik/pokemon",
    "https://dvc.org/doc/command-reference/remote/add",
    "https://github.com/iterative/example-pokemon-classifier/blob/main/src/utils/find_project_root.py",
    "https://github.com/RCdeWit/dtc-workshop/blob/solution/src/train.py",
    "https://dvc.org/doc/user-guide/project-structure/dvcyaml-files#stages",
    "https://dvc.org/doc/command-reference/metrics",
    "https://github.com/RCdeWit/dtc-workshop/blob/solution/dvc.yaml",
    "https://marketplace.visualstudio.com/items?itemName=Iterative.dvc",
    "https://cml.dev",
    "https://cml.dev/doc/self-hosted-runners?tab=GitHub#personal-access-token",
    "https://iterative.ai/blog/CML-runners-saving-models-1/",
    "https://iterative.ai/blog/CML-runners-saving-models-2/",
    # ovh-ai-yolov8-speaker-notes-fr.md
    "https://www.ovh.com/auth/api/createToken?GET=/*&POST=/*&PUT=/*&DELETE=/*",
    "https://help.ovhcloud.com/csm/fr-terraform-at-ovhcloud?id=kb_article_view&sysparm_article=KB0054776",
    # azure-ml-half-day-delivery-guide.md: none.
}


def urls_in(text: str) -> set[str]:
    return {match.group(0).rstrip(".,;:!?") for match in URL.finditer(text)}


def source_urls() -> set[str]:
    if not SEEDS.is_dir():
        return set(SOURCE_URLS)
    found = set().union(*(urls_in(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.md"))))
    return found - EXCLUDED


def test_the_regex_reads_markdown_links_and_bare_urls():
    text = "[a](https://x.org/a?b=1&c=/*) and <https://y.org/b>, or https://z.org/c."
    assert urls_in(text) == {"https://x.org/a?b=1&c=/*", "https://y.org/b", "https://z.org/c"}


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the sources are not at {SEEDS} (set WORKSHOP_KIT_SEEDS)")
def test_the_copy_of_the_source_urls_matches_the_sources():
    assert source_urls() == SOURCE_URLS, "a source changed: update SOURCE_URLS (or EXCLUDED, with the reason)"
    assert not EXCLUDED & SOURCE_URLS


@pytest.fixture(scope="module")
def link_report(built_site, tmp_path_factory) -> str:
    report = tmp_path_factory.mktemp("links") / "external-links.md"
    assert main(["links", str(built_site), "--report", str(report)]) == 0
    return report.read_text(encoding="utf-8")


def test_every_public_source_url_is_in_the_link_report(link_report):
    listed = set(re.findall(r"^\| <(.+?)> \|", link_report, flags=re.M))
    missing = sorted(source_urls() - listed)
    assert not missing, f"source URLs no page links to: {missing}"


def test_every_public_source_url_is_linked_in_both_languages(built_site):
    external = check_site(built_site).external
    one_language = {}
    for url in sorted(source_urls()):
        pages = set(external.get(url, []))
        languages = {"fr" if page.startswith("fr/") else "en" for page in pages}
        if languages != {"en", "fr"}:
            one_language[url] = sorted(pages)
    assert not one_language, f"source URLs not linked from both an English and a French page: {one_language}"


def test_private_source_urls_are_never_links(link_report):
    for url in EXCLUDED:
        assert url not in link_report
