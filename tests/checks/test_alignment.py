"""Translated checklist items carry the identity of the source item they translate (issue 24), and
parity reports every difference of a page pair in one run (issue 23)."""

from __future__ import annotations

import re

from mini_site import PAGE, TRANSLATION

from workshop_kit.checks import run_checks
from workshop_kit.checks.alignment import align, translation_identities
from workshop_kit.checks.page import PageChecker
from workshop_kit.checks.site import read_site
from workshop_kit.extensions.checklist import item_id
from workshop_kit.pytest_plugin import build_site

A, B, C = (1, 0, None, ()), (1, 0, None, ()), (1, 0, None, ("`dvc push`",))


def test_equal_signatures_pair_in_order():
    assert align([A, B, C], [A, B, C]) == [0, 1, 2]


def test_among_items_alike_a_missing_one_leaves_them_unpaired_never_shifted():
    # The source lost one of three plain items in section 1; the translation did not follow yet.
    assert align([A, C], [A, A, C]) == [None, None, 1]


def test_a_unique_signature_stays_paired_and_other_sections_are_untouched():
    other = (2, 0, None, ())
    source = [other, other, A, C]
    translation = [other, other, A, A, C]
    assert align(source, translation) == [0, 1, None, None, 3]


def test_a_moved_item_with_code_follows_its_code():
    push, pull = (1, 0, None, ("`dvc push`",)), (1, 0, None, ("`dvc pull`",))
    assert align([push, pull, A, B], [pull, push, A, B]) == [1, 0, None, None], "plain items alike: unsure then"


def test_a_translation_keeping_part_of_the_code_still_pairs_in_order():
    ours, theirs = (1, 0, "PREP", ("PREP", "AWS", "3")), (1, 0, "PREP", ("PREP", "AWS"))
    assert align([ours, A], [theirs, A]) == [0, 1]


def test_with_other_headings_only_page_wide_unique_signatures_pair():
    push = (1, 0, None, ("`dvc push`",))
    moved = (2, 0, None, ("`dvc push`",))  # one more heading above it in the translation
    assert align([A, B, push], [A, B, moved], same_headings=False) == [None, None, 2]


def identities(mini_site, page="guide.fr.md"):
    site = read_site(mini_site.root)
    return translation_identities(PageChecker(site), site.docs / page)


def english_items(mini_site):
    site = read_site(mini_site.root)
    return PageChecker(site).facts_of(site.docs / "guide.md").rendered.items


def test_a_faithful_translation_gets_every_english_id(mini_site):
    mini_site.pair()
    found = identities(mini_site)
    assert [known["id"] for known in found] == [item["id"] for item in english_items(mini_site)]
    assert identities(mini_site, "guide.md") is None, "a source page keeps its own ids"


def test_an_item_deleted_in_english_only_makes_its_look_alikes_unsure(mini_site):
    mini_site.pair(english=PAGE.replace("    - [ ] projector\n", ""))
    found = identities(mini_site)
    english = english_items(mini_site)
    assert found[0]["id"] == english[0]["id"], "PREP: a unique item stays paired"
    assert found[2] is None and found[3] is None, "projecteur / réseau: which one is gone is unknown"
    assert all(known is None or known["id"] in {item["id"] for item in english} for known in found)


def test_the_build_writes_the_english_keys_on_french_items(mini_site):
    mini_site.pair()
    mini_site.page("index.md", "# Home\n")
    mini_site.page("index.fr.md", "# Accueil\n")
    config = (mini_site.root / "mkdocs.yml").read_text().replace("  - Home: index.md\n", "  - index.md\n  - guide.md\n")
    (mini_site.root / "mkdocs.yml").write_text(config)
    result = build_site(mini_site.root / "mkdocs.yml", mini_site.root / "site")
    assert result.returncode == 0, result.stderr
    keys = re.compile(r'<li class="task-list-item"([^>]*)>')

    def attributes(path):
        return [dict(re.findall(r'(data-wk-\w+)="([^"]*)"', found))
                for found in keys.findall((mini_site.root / "site" / path).read_text())]

    english, french = attributes("guide/index.html"), attributes("fr/guide/index.html")
    assert len(english) == len(french) == 4
    for en, fr in zip(english, french, strict=False):
        ids = ("data-wk-id", "data-wk-s", "data-wk-t")
        assert [fr[key] for key in ids] == [en[key] for key in ids]
        assert fr["data-wk-o"] != en["data-wk-id"], "the French item's own id is kept apart"
        assert "data-wk-o" not in en


def test_an_item_with_markup_in_inline_code_gets_the_id_the_build_gives_it(mini_site):
    # The build highlights inline code (pymdownx.inlinehilite): the item reads `<deck address>`.
    # The checker must read the same words, not `&lt;deck address&gt;`, or the French item carries
    # an id no English item has.
    config = (mini_site.root / "mkdocs.yml").read_text()
    (mini_site.root / "mkdocs.yml").write_text(config.replace("  - pymdownx.details\n",
                                                              "  - pymdownx.details\n  - pymdownx.inlinehilite\n"))
    mini_site.pair(english=PAGE.replace("Check the room.", "Fetch the slides from `<deck address>`."),
                   french=TRANSLATION.replace("Vérifiez la salle.", "Récupérez les présentations depuis "
                                                                    "`<deck address>`."))
    found = identities(mini_site)
    assert found[1]["id"] == item_id("Fetch the slides from <deck address>.", ["Guide", "Preparation"])
    assert found[1]["t"] == item_id("Fetch the slides from <deck address>.", [])
    assert english_items(mini_site)[1]["text"] == "Fetch the slides from <deck address>."


def test_parity_reports_every_difference_in_one_run(mini_site):
    french = (TRANSLATION.replace("PREP: Installez", "SPEAKER: Installez")  # a marker
              .replace("    - [ ] réseau\n", "")  # a missing item
              .replace("python make.py", "python build.py")  # code
              .replace("| 60 min | Pratique", "| 45 min | Pratique"))  # a duration
    mini_site.pair(french=french)
    problems = run_checks(mini_site.root, ("parity",))
    messages = " | ".join(problem.message for problem in problems)
    assert len(problems) == 4, messages
    assert "marked PREP" in messages and "checklist items: the source has 4, the translation 3" in messages
    assert "code blocks differ" in messages and "timing rows differ" in messages


def test_two_missing_items_are_two_problems(mini_site):
    mini_site.pair(french=TRANSLATION.replace("    - [ ] réseau\n", "")
                   .replace("- [ ] PREP: Installez les outils.\n", ""))
    problems = [p for p in run_checks(mini_site.root, ("parity",)) if "checklist" in p.message]
    assert sorted(problem.other_line for problem in problems) == [9, 12]
