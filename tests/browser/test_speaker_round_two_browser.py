"""Speaker tools, round two (issue 24): ticks by identity across languages through edits, orphan
ticks dropped or moved one by one, a clock that sees an overrun, confirmed and undoable new runs,
a private and printable speaker sheet, and the agenda at phone width."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import click_checkbox, item, ready

from workshop_kit.pytest_plugin import build_site, serve_directory

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"

BILINGUAL_CONFIG = """\
site_name: Two languages
site_url: {site_url}
theme:
  name: material
  font: false
  language: en
plugins:
  - i18n:
      docs_structure: suffix
      fallback_to_default: false
      languages:
        - locale: en
          default: true
          name: English
        - locale: fr
          name: Français
  - workshop
markdown_extensions:
  - tables
  - admonition
  - attr_list
  - pymdownx.superfences
  - pymdownx.inlinehilite
  - pymdownx.tasklist:
      custom_checkbox: true
nav:
  - index.md
  - guide.md
"""

# Version 1 of the guide, with a typo in both languages ("piepline", "pipleine").
GUIDE = """\
# Guide

## Before

- [ ] Print the handouts
- [ ] Test the projector
- [ ] Install `dvc` 3.0
- [ ] Charge the laptop

## During

- [ ] Run the piepline
- [ ] Show the remote

## After

- [ ] Send the slides from `<deck address>`
"""

GUIDE_FR = """\
# Guide

## Avant

- [ ] Imprimez les fiches
- [ ] Testez le projecteur
- [ ] Installez `dvc` 3.0
- [ ] Rechargez l'ordinateur

## Pendant

- [ ] Lancez le pipleine
- [ ] Montrez le remote

## Après

- [ ] Envoyez les présentations depuis `<deck address>`
"""


def moved_and_deleted(text: str) -> str:
    """Both languages: the last item of the first section moved to its top, the second deleted."""
    lines = text.splitlines(keepends=True)
    first = lines.index(next(line for line in lines if line.startswith("- [ ]")))
    before = lines[first:first + 4]
    return "".join(lines[:first] + [before[3], before[0], before[2]] + lines[first + 4:])


def typo_fixed(text: str) -> str:
    return text.replace("piepline", "pipeline").replace("pipleine", "pipeline")


class Bilingual:
    def __init__(self, root: Path):
        self.root = root
        (root / "site").mkdir(parents=True)
        self.server, self.url = serve_directory(root / "site")

    def build(self, english: str, french: str, strict: bool = True) -> None:
        docs = self.root / "docs"
        docs.mkdir(exist_ok=True)
        (docs / "index.md").write_text("# Home\n")
        (docs / "index.fr.md").write_text("# Accueil\n")
        (docs / "guide.md").write_text(english)
        (docs / "guide.fr.md").write_text(french)
        (self.root / "mkdocs.yml").write_text(BILINGUAL_CONFIG.format(site_url=self.url))
        result = build_site(self.root / "mkdocs.yml", self.root / "site", strict=strict)
        assert result.returncode == 0, result.stderr


@pytest.fixture
def bilingual(tmp_path):
    site = Bilingual(tmp_path)
    site.build(GUIDE, GUIDE_FR)
    yield site
    site.server.shutdown()


def ticked(page) -> list[str]:
    """The own text of every ticked leaf item, in page order."""
    ready(page)
    return page.evaluate("""() => [...document.querySelectorAll('li.task-list-item[data-wk-id]')]
        .filter(li => !li.querySelector('li') && li.querySelector(':scope > label input').checked)
        .map(li => { const c = li.cloneNode(true); c.querySelectorAll('ul, ol, .wk-marker').forEach(n => n.remove());
                     return c.textContent.replace(/\\s+/g, ' ').trim(); })""")


def orphan_texts(page) -> list[str]:
    ready(page)
    return page.locator(".wk-orphans:not([hidden]) li > span").all_text_contents()


def tick(page, text):
    click_checkbox(page, item(page, text))


def test_french_ticks_follow_their_items_through_a_move_and_a_delete(bilingual, browser_page):
    en, fr = bilingual.url + "guide/", bilingual.url + "fr/guide/"
    browser_page.goto(fr)
    for text in ("Testez le projecteur", "Rechargez l'ordinateur", "Montrez le remote"):
        tick(browser_page, text)
    browser_page.goto(en)
    tick(browser_page, "Install dvc 3.0")
    assert ticked(browser_page) == ["Test the projector", "Install dvc 3.0", "Charge the laptop", "Show the remote"]

    bilingual.build(moved_and_deleted(GUIDE), moved_and_deleted(GUIDE_FR))
    for url, expected, lost in [
        (en, ["Charge the laptop", "Install dvc 3.0", "Show the remote"], "Testez le projecteur"),
        (fr, ["Rechargez l'ordinateur", "Installez dvc 3.0", "Montrez le remote"], "Testez le projecteur"),
    ]:
        browser_page.goto(url)
        assert ticked(browser_page) == expected, "every tick on its own item, none on a neighbour"
        assert orphan_texts(browser_page) == [lost], "the deleted item's tick waits as an orphan"

    # Unticking in French unticks the English item it translates, and nothing else.
    browser_page.goto(fr)
    tick(browser_page, "Rechargez l'ordinateur")
    browser_page.goto(en)
    assert ticked(browser_page) == ["Install dvc 3.0", "Show the remote"]
    browser_page.goto(fr)
    assert ticked(browser_page) == ["Installez dvc 3.0", "Montrez le remote"]


def test_french_ticks_survive_a_heading_rename_and_a_delete_then_restore(bilingual, browser_page):
    # The English checklist test's held-back edits (a section renamed; an item deleted, then back),
    # on both languages, with ticks made in either.
    en, fr = bilingual.url + "guide/", bilingual.url + "fr/guide/"
    browser_page.goto(fr)
    for text in ("Testez le projecteur", "Lancez le pipleine"):
        tick(browser_page, text)
    browser_page.goto(en)
    tick(browser_page, "Install dvc 3.0")
    everything = {en: ["Test the projector", "Install dvc 3.0", "Run the piepline"],
                  fr: ["Testez le projecteur", "Installez dvc 3.0", "Lancez le pipleine"]}

    bilingual.build(GUIDE.replace("## During", "## On the day"), GUIDE_FR.replace("## Pendant", "## Le jour venu"))
    for url, expected in everything.items():
        browser_page.goto(url)
        assert ticked(browser_page) == expected, "a renamed section keeps its ticks"
        assert orphan_texts(browser_page) == []

    bilingual.build(GUIDE.replace("- [ ] Test the projector\n", ""),
                    GUIDE_FR.replace("- [ ] Testez le projecteur\n", ""))
    for url, expected in everything.items():
        browser_page.goto(url)
        assert ticked(browser_page) == expected[1:], "no other item takes the deleted item's tick"
        assert orphan_texts(browser_page) == ["Testez le projecteur"], "it waits as an orphan"

    bilingual.build(GUIDE, GUIDE_FR)
    for url, expected in everything.items():
        browser_page.goto(url)
        assert ticked(browser_page) == expected, "restoring the item brings its tick back"
        assert orphan_texts(browser_page) == []


def test_a_fixed_typo_orphan_is_moved_to_its_item_and_another_dropped_alone(bilingual, browser_page):
    en, fr = bilingual.url + "guide/", bilingual.url + "fr/guide/"
    browser_page.goto(en)
    tick(browser_page, "Run the piepline")
    tick(browser_page, "Print the handouts")
    browser_page.goto(fr)
    tick(browser_page, "Testez le projecteur")
    bilingual.build(typo_fixed(moved_and_deleted(GUIDE)), typo_fixed(moved_and_deleted(GUIDE_FR)))
    browser_page.goto(en)
    assert ticked(browser_page) == ["Print the handouts"]
    assert sorted(orphan_texts(browser_page)) == ["Run the piepline", "Testez le projecteur"]
    browser_page.locator(".wk-orphans summary").click()
    moves = browser_page.locator(".wk-orphans button.wk-orphan-move")
    assert moves.all_inner_texts() == ["Move to “Run the pipeline”"], "offered for the typo only"
    moves.first.click()
    assert ticked(browser_page) == ["Print the handouts", "Run the pipeline"]
    assert orphan_texts(browser_page) == ["Testez le projecteur"]
    browser_page.locator(".wk-orphans button.wk-orphan-drop").click()
    assert orphan_texts(browser_page) == [] and not browser_page.locator(".wk-orphans").is_visible()
    assert ticked(browser_page) == ["Print the handouts", "Run the pipeline"], "dropping one orphan keeps the rest"
    browser_page.goto(fr)
    assert ticked(browser_page) == ["Imprimez les fiches", "Lancez le pipeline"]
    assert orphan_texts(browser_page) == []


def test_where_the_pairing_is_unsure_a_tick_waits_as_an_orphan_never_on_a_wrong_item(bilingual, browser_page):
    en, fr = bilingual.url + "guide/", bilingual.url + "fr/guide/"
    browser_page.goto(en)
    tick(browser_page, "Charge the laptop")
    tick(browser_page, "Install dvc 3.0")
    # The English page loses "Print the handouts"; the French one is not updated yet (not strict:
    # parity reports the drift). The two plain items left in "Avant" cannot be told apart.
    bilingual.build(GUIDE.replace("- [ ] Print the handouts\n", ""), GUIDE_FR, strict=False)
    browser_page.goto(fr)
    assert ticked(browser_page) == ["Installez dvc 3.0"], "the item with code is still paired"
    assert orphan_texts(browser_page) == ["Charge the laptop"]
    unpaired = browser_page.locator("li.task-list-item[data-wk-unpaired]").evaluate_all(
        "items => items.map(li => li.textContent.trim())")
    assert unpaired == ["Imprimez les fiches", "Testez le projecteur", "Rechargez l'ordinateur"]
    browser_page.goto(en)
    assert ticked(browser_page) == ["Install dvc 3.0", "Charge the laptop"]


def test_a_french_item_with_markup_in_inline_code_carries_its_english_items_id(bilingual):
    # The build highlights inline code (pymdownx.inlinehilite): the English item's id hashes
    # "<deck address>"; the French item must carry that id, not a hash of "&lt;deck address&gt;".
    def items(path: str) -> list[tuple[dict, str]]:
        text = (bilingual.root / "site" / path).read_text()
        return [(dict(re.findall(r'(data-wk-[\w-]+)="([^"]*)"', attributes)), re.sub(r"<[^>]+>", "", body))
                for attributes, body in re.findall(r'<li class="task-list-item"([^>]*)>(.*?)</li>', text, re.S)]

    english, french = items("guide/index.html"), items("fr/guide/index.html")
    [(en, en_text)] = [(keys, body) for keys, body in english if "deck address" in body]
    [(fr, fr_text)] = [(keys, body) for keys, body in french if "deck address" in body]
    assert "Send the slides" in en_text and "Envoyez" in fr_text
    assert "data-wk-unpaired" not in fr
    assert [fr[key] for key in ("data-wk-id", "data-wk-s", "data-wk-t")] == [
        en[key] for key in ("data-wk-id", "data-wk-s", "data-wk-t")]
    assert {keys["data-wk-id"] for keys, _ in french} <= {keys["data-wk-id"] for keys, _ in english}


# --- The speaker sheet is a speaker page -----------------------------------------------------

def speaker_view(page, url):
    """Opens `url` in the speaker view (the switch in the header), remembered for the site."""
    page.goto(url)
    ready(page)
    if page.evaluate("document.documentElement.dataset.wkView") != "speaker":
        page.click(".wk-view-toggle")


def open_sheet(page, url):
    page.goto(url)
    page.wait_for_selector(".wk-sheet[data-wk-ready=done]")


@pytest.mark.parametrize("lang", ["", "fr/"])
def test_the_sheet_is_out_of_the_participants_navigation_and_shows_its_notes_to_speakers_only(site_url, browser_page,
                                                                                             lang):
    browser_page.set_viewport_size({"width": 1400, "height": 900})
    agenda = f"{site_url}{lang}gitops-dvc/agenda/"
    browser_page.goto(agenda)
    ready(browser_page)
    side = browser_page.locator(".md-sidebar--primary a.md-nav__link[href$='speaker-sheet/']")
    footer = browser_page.locator("a.md-footer__link[href$='speaker-sheet/']")
    assert side.count() >= 1 and footer.count() == 1, "the build still lists the sheet"
    assert not any(link.is_visible() for link in side.all()), "no sheet in the participants' navigation"
    assert not footer.is_visible()
    guide = browser_page.locator(".md-sidebar--primary a.md-nav__link[href$='speaker-guide/']").first
    assert guide.is_visible(), "other pages stay"
    browser_page.click(".wk-view-toggle")
    assert browser_page.locator(".md-sidebar--primary a.md-nav__link[href='../speaker-sheet/']").first.is_visible()
    assert footer.is_visible()

    browser_page.click(".wk-view-toggle")  # back to the participant view
    open_sheet(browser_page, f"{site_url}{lang}gitops-dvc/speaker-sheet/")
    notes = browser_page.locator(".wk-sheet .admonition.speaker, .wk-sheet details.speaker")
    assert notes.count() >= 1
    assert not any(note.is_visible() for note in notes.all()), "participants see no note on the sheet"
    assert not browser_page.locator(".wk-sheet-notes").is_visible()
    hint = browser_page.locator(".wk-sheet-speaker-only")
    assert hint.is_visible() and ("speaker view" in hint.inner_text() or "vue animateur" in hint.inner_text())
    browser_page.click(".wk-view-toggle")
    assert all(note.is_visible() for note in browser_page.locator(".wk-sheet-notes .admonition.speaker").all())
    assert browser_page.locator(".wk-sheet-notes").is_visible() and not hint.is_visible()

    # A link to the sheet in a page's text is a speaker link too: the tooling day's index lists the
    # sheet among its pages; participants see neither the link nor its line.
    browser_page.goto(f"{site_url}{lang}ml-tooling-day/")
    ready(browser_page)
    in_text = browser_page.locator(".md-content a[href$='speaker-sheet/']")
    line = browser_page.locator(".md-content li", has=browser_page.locator("a[href$='speaker-sheet/']"))
    assert in_text.count() == 1 and in_text.is_visible() and line.is_visible(), "shown in the speaker view"
    other = browser_page.locator(".md-content li", has=browser_page.locator("a[href$='speaker-guide/']")).first
    browser_page.click(".wk-view-toggle")  # the participant view
    assert not any(link.is_visible() for link in in_text.all()), "no link to the sheet in the participant view"
    assert not line.is_visible(), "nor the line that introduces it"
    assert other.is_visible(), "the other pages' lines stay"


def test_without_javascript_the_sheet_is_not_in_the_navigation(site_url, chromium_browser):
    context = chromium_browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + "rock-paper-scissors/agenda/")
        links = page.locator(".md-sidebar--primary a.md-nav__link[href$='speaker-sheet/']").all()
        assert links and not any(link.is_visible() for link in links)
        page.goto(site_url + "ml-tooling-day/")
        in_text = page.locator(".md-content a[href$='speaker-sheet/']").all()
        assert in_text and not any(link.is_visible() for link in in_text), "nor in a page's text"
    finally:
        context.close()


# --- The printed sheet -----------------------------------------------------------------------

A4_CONTENT = (718, 1047)
PDFTOTEXT = shutil.which("pdftotext")
# pdftotext joins a word hyphenated at a line's end ("pokemon-" + "dvc"): spaces and hyphens are not
# compared; nor is the "⚠" that CSS draws before a skipped block's note (not in the DOM's text).
squeeze = lambda text: re.sub(r"[\s\-‐⚠]+", "", text)  # noqa: E731 - columns and wrapped code lines


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (Debian package poppler-utils) is not installed")
@pytest.mark.parametrize("lang", ["", "fr/"])
@pytest.mark.parametrize("workshop", ["gitops-dvc", "rock-paper-scissors", "half-day-lab", "ml-tooling-day",
                                      "notebook-to-pipeline"])
def test_the_printed_sheet_keeps_every_note_and_collapsed_block_on_at_most_four_pages(
        site_url, chromium_browser, workshop, lang, tmp_path):
    context = chromium_browser.new_context(viewport={"width": A4_CONTENT[0], "height": A4_CONTENT[1]})
    context.set_default_timeout(90_000)
    page = context.new_page()
    try:
        page.clock.set_fixed_time(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
        speaker_view(page, f"{site_url}{lang}{workshop}/speaker-guide/")
        click_checkbox(page, page.locator("li.task-list-item:not(:has(li))").first)
        open_sheet(page, f"{site_url}{lang}{workshop}/speaker-sheet/")
        head = page.locator(".wk-sheet-head").inner_text()
        assert ("10 March 2026" if not lang else "10 mars 2026") in head, head
        # What must be in the PDF: every collapsed block (closed on screen) and every speaker note.
        expected = page.evaluate("""() => {
            const text = (node) => node.innerText.replace(/\\s+/g, ' ').trim();
            const closed = [...document.querySelectorAll('.wk-sheet details:not([open]):not(.wk-orphans)')];
            const notes = [...document.querySelectorAll('.wk-sheet :is(.admonition.speaker, details.speaker)')];
            window.dispatchEvent(new Event('beforeprint'));  // what the browser's print command does
            return {closed: closed.length, blocks: [...closed, ...notes].map(node => {
                const body = [...node.children].filter(child => child.tagName !== 'SUMMARY'
                    && !child.matches('.admonition-title') && getComputedStyle(child).display !== 'none')
                    .map(text).join(' ');
                const title = node.querySelector(':scope > summary, :scope > .admonition-title');
                return {title: title ? text(title) : '', start: body.slice(0, 50), end: body.slice(-50)};
            })};
        }""")
        assert expected["blocks"], "the sheet has notes to print"
        page.emulate_media(media="print")
        # One mark per ticked item: Material's box, no second mark after it.
        ticked = page.locator(".wk-sheet li.wk-done").first
        assert ticked.count() == 1
        after = ticked.locator(":scope > label").evaluate("l => getComputedStyle(l, '::after').content")
        assert after in ("none", "normal")
        # Tables in their column at the guide's size; code kept whole; hints at the guide's size.
        sizes = page.evaluate("""() => {
            const flow = document.querySelector('.wk-sheet-flow');
            const size = (node) => parseFloat(getComputedStyle(node).fontSize);
            const para = flow.querySelector('.wk-sheet-part > p');
            return {para: size(para),
                    tables: [...flow.querySelectorAll('table')].map(t => [size(t), getComputedStyle(t).columnSpan]),
                    hints: [...flow.querySelectorAll('.wk-block-hint, .wk-block-origin')].map(size),
                    code: [...new Set([...flow.querySelectorAll('.highlight, pre')]
                        .map(n => getComputedStyle(n).breakInside))]};
        }""")
        assert all(span == "none" and abs(size - sizes["para"]) < 0.01 for size, span in sizes["tables"]), sizes
        assert all(abs(size - sizes["para"]) < 0.01 for size in sizes["hints"]), sizes
        assert sizes["code"] in ([], ["avoid"]), sizes
        pdf_path = tmp_path / "sheet.pdf"
        page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True)
        pdf = pdf_path.read_bytes()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"{workshop}-speaker-sheet-speaker-view.{lang.strip('/') or 'en'}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 4, pages
        text = squeeze(subprocess.run([PDFTOTEXT, str(pdf_path), "-"], capture_output=True, text=True,
                                      check=True).stdout)
        missing = [part for block in expected["blocks"] for part in (block["title"], block["start"], block["end"])
                   if squeeze(part) not in text]
        assert not missing, missing
        assert "✔" not in text and "✓" not in text, "the tick is drawn once, as a box"
    finally:
        context.close()


def test_collapsed_blocks_open_for_printing_and_close_afterwards(site_url, browser_page):
    open_sheet(browser_page, site_url + "gitops-dvc/speaker-sheet/")
    closed = browser_page.locator(".wk-sheet details:not([open]):not(.wk-orphans)").count()
    assert closed >= 2, "GitOps' guide has collapsed blocks"
    browser_page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert browser_page.locator(".wk-sheet details:not([open]):not(.wk-orphans)").count() == 0
    browser_page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert browser_page.locator(".wk-sheet details:not([open]):not(.wk-orphans)").count() == closed


# --- The agenda at phone width ---------------------------------------------------------------

@pytest.mark.parametrize("path", ["ml-tooling-day/agenda/", "fr/ml-tooling-day/agenda/", "rock-paper-scissors/agenda/"])
def test_the_agenda_at_390_px(site_url, chromium_browser, path):
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="UTC")
    context.set_default_timeout(90_000)
    page = context.new_page()
    try:
        # A fixed clock: what the status says (and so the clock's height) depends on the time of day.
        page.clock.install(time=datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
        page.goto(site_url + path)
        ready(page)
        boxes = page.evaluate("""() => {
            const table = document.querySelector('.wk-timing table');
            const box = (node) => node.getBoundingClientRect();
            const shown = (tr) => [...tr.children].filter(cell => getComputedStyle(cell).display !== 'none');
            const rows = [...table.querySelectorAll('thead tr, tbody tr.wk-timing-row, tfoot tr')];
            const head = shown(table.querySelector('thead tr'));
            // A word broken across lines has two boxes.
            const broken = [];
            for (const cell of table.querySelectorAll('tbody td')) {
                if (getComputedStyle(cell).display === 'none') continue;
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const match of node.textContent.matchAll(/\\S+/g)) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                        if (lines.size > 1) broken.push(match[0]);
                    }
                }
            }
            const total = table.querySelector('tfoot tr');
            const totalCells = shown(total).filter(cell => cell.textContent.trim()
                || getComputedStyle(cell, '::before').content !== 'none');
            return {
                viewport: document.documentElement.clientWidth,
                table: [box(table).left, box(table).right],
                rows: rows.map(tr => [Math.round(box(tr).left), Math.round(box(tr).right)]),
                head: head.map(cell => [cell.textContent.trim(), box(cell).left, box(cell).right]),
                total: totalCells.map(cell => [box(cell).left, box(cell).right]),
                broken,
                clock: box(document.querySelector('.wk-clock')).height,
                clockPosition: getComputedStyle(document.querySelector('.wk-clock')).position,
            };
        }""")
        left, right = boxes["table"]
        assert left >= 0 and right <= boxes["viewport"], "the table fits the screen"
        assert len({tuple(row) for row in boxes["rows"]}) == 1, "every row starts and ends where the others do"
        row_left, row_right = boxes["rows"][0]
        assert abs(row_left - left) <= 2 and abs(row_right - right) <= 2, "the rows fill the table"
        names = [name for name, *_ in boxes["head"]]
        assert len(names) == 3, names
        (_, start_left, start_right), (_, session_left, session_right), (_, done_left, done_right) = boxes["head"]
        assert session_right - session_left >= 0.5 * (right - left), "Session has most of the width"
        assert boxes["broken"] == [], "no word breaks across lines"
        assert boxes["total"], "the Total row shows its total"
        for cell_left, cell_right in boxes["total"]:
            assert cell_right <= done_left + 1 or cell_left >= done_right - 1, "nothing of the Total row under Done"
        assert boxes["clockPosition"] == "sticky" and boxes["clock"] <= 72, boxes["clock"]
        page.screenshot(path=str(ARTIFACTS / f"agenda-390-{path.strip('/').replace('/', '-')}.png"))
        # Through the whole day, with the first row marked late so that rows overrun and the status says
        # how far behind: the sticky clock never grows past two lines of status and one of buttons.
        heights, ticked = {}, False
        for _ in range(14 * 4):  # 06:00 to 20:00, every quarter of an hour
            page.clock.fast_forward("15:00")
            if not ticked and page.locator("tr.wk-timing-row.wk-now").count():
                page.clock.fast_forward("10:00")
                page.locator("tr.wk-timing-row input.wk-clock-done").first.check()
                ticked = True
            height = page.evaluate("document.querySelector('.wk-clock').getBoundingClientRect().height")
            heights[page.locator(".wk-clock-status").inner_text()] = height
        assert ticked and any("behind" in said or "retard" in said for said in heights), heights
        tall = {said: height for said, height in heights.items() if height > 72}
        assert not tall, tall
    finally:
        context.close()


# --- The new controls meet WCAG 2.1 AA in both schemes ---------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_controls_have_no_accessibility_violations(site_url, bilingual, chromium_browser, scheme):
    from test_a11y_browser import axe, describe

    context = chromium_browser.new_context(color_scheme=scheme)
    context.set_default_timeout(90_000)
    page = context.new_page()
    try:
        # An overrunning row, the undo button, in the speaker view.
        page.clock.install(time=datetime(2026, 11, 23, 9, 12, tzinfo=UTC))
        speaker_view(page, site_url + "ml-tooling-day/agenda/")
        page.locator("tr.wk-timing-row input.wk-clock-done").first.check()
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button.wk-clock-new")
        page.click("button.wk-clock-undo")
        page.clock.fast_forward("01:00:00")
        assert page.locator("tr.wk-overrun").count() == 1
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button.wk-clock-new")
        assert page.locator("button.wk-clock-undo").is_visible()
        violations = axe(page)
        assert not violations, describe(violations)
        # Orphan ticks listed with their buttons.
        page.goto(bilingual.url + "guide/")
        tick(page, "Run the piepline")
        bilingual.build(typo_fixed(GUIDE), typo_fixed(GUIDE_FR))
        page.reload()
        ready(page)
        page.locator(".wk-orphans summary").click()
        assert page.locator(".wk-orphans button.wk-orphan-move").is_visible()
        violations = axe(page)
        assert not violations, describe(violations)
    finally:
        context.close()
