import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.extensions.checklist import ChecklistExtension, item_id
from workshop_kit.extensions.source import SourcePage


def render(text: str, **config) -> tuple[str, list[dict]]:
    md = markdown.Markdown(extensions=["pymdownx.tasklist", "pymdownx.inlinehilite", ChecklistExtension(**config)],
                           extension_configs={"pymdownx.tasklist": {"custom_checkbox": True}})
    html = md.convert(text)
    return html, md.workshop_checklist_items


def ids_by_text(text: str) -> dict[str, str]:
    return {item["text"]: item["id"] for item in render(text)[1]}


item_text = st.text(alphabet="abcdefghij klm", min_size=1, max_size=15).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(item_text, min_size=1, max_size=8, unique_by=lambda t: " ".join(t.split())),
       data=st.data())
def test_ids_survive_insert_remove_and_reorder(texts, data):
    texts = [" ".join(t.split()) for t in texts]
    before = ids_by_text("## Steps\n\n" + "".join(f"- [ ] {t}\n" for t in texts))
    edited = data.draw(st.permutations(texts))
    if len(edited) > 1:
        edited = edited[:-1]  # remove one
    edited = edited + ["a freshly inserted item zz"]
    after = ids_by_text("## Steps\n\n" + "".join(f"- [ ] {t}\n" for t in edited))
    for text in edited[:-1]:
        assert after[text] == before[text]


def test_changed_text_starts_a_new_id():
    assert ids_by_text("- [ ] Push the data\n") != ids_by_text("- [ ] Push the data now\n")


def test_heading_path_is_part_of_the_id():
    html, items = render("## Part 1\n\n- [ ] Run it\n\n## Part 2\n\n- [ ] Run it\n")
    assert items[0]["id"] != items[1]["id"]
    assert items[0]["path"] == ["Part 1"] and items[1]["path"] == ["Part 2"]


def test_id_ignores_case_and_spacing_but_not_words():
    assert item_id("Run  the DVC pipeline", ["A"]) == item_id("run the dvc pipeline", ["A"])
    assert item_id("Run the pipeline", ["A"]) != item_id("Run the pipeline", ["B"])


def test_inline_code_counts_in_the_text():
    _, items = render("- [ ] Set `OS_USERNAME` and `OS_PASSWORD`\n")
    assert items[0]["text"] == "Set OS_USERNAME and OS_PASSWORD"


def test_nested_items_have_their_own_text():
    _, items = render("- [ ] Parent\n    - [ ] Child one\n    - [ ] Child two\n")
    assert [i["text"] for i in items] == ["Parent", "Child one", "Child two"]


def test_marker_becomes_a_badge_and_an_attribute():
    html, items = render("- [ ] INTERACTIVE: Set up the token\n")
    assert 'data-wk-marker="interactive"' in html
    assert '<span class="wk-marker wk-marker-interactive">Participants too</span> Set up the token' in html
    assert "INTERACTIVE:" not in html
    assert items[0]["text"] == "Set up the token"
    assert items[0]["marker"] == "INTERACTIVE"


def test_marker_badge_follows_the_page_language():
    html, _ = render("- [ ] PREP: Créez le dépôt\n", page=SourcePage(lang="fr"))
    assert ">Préparation</span> Créez le dépôt" in html


def test_markers_are_configurable():
    html, _ = render("- [ ] HOMEWORK: read the docs\n- [ ] INTERACTIVE: not a marker here\n", markers=["HOMEWORK"])
    assert 'data-wk-marker="homework"' in html
    assert ">Homework</span>" in html
    assert "INTERACTIVE: not a marker here" in html


def test_marker_does_not_change_the_id():
    assert ids_by_text("- [ ] Run it\n")["Run it"] == ids_by_text("- [ ] SPEAKER: Run it\n")["Run it"]


def test_duplicates_get_distinct_ids_and_a_warning():
    messages = []
    html, items = render("## Setup\n\n- [ ] Check\n- [ ] Check\n",
                         page=SourcePage(path="guide.md"), reporter=lambda msg, page: messages.append(msg))
    assert items[1]["id"] == items[0]["id"] + "-2"
    assert len(messages) == 1
    assert "guide.md" in messages[0] and "'Check' appears 2 times under 'Setup'" in messages[0]


def test_plain_lists_are_left_alone():
    html, items = render("- not a task\n")
    assert items == [] and "data-wk-id" not in html



def test_fallback_keys_survive_renaming_the_headings_above():
    before = render("# Guide\n\n## Setup\n\n- [ ] Check the room\n")[0]
    renamed_title = render("# The guide\n\n## Setup\n\n- [ ] Check the room\n")[0]
    renamed_section = render("# Guide\n\n## Before the day\n\n- [ ] Check the room\n")[0]

    def keys(html):
        return {k: re.search(rf'data-wk-{k}="([^"]+)"', html).group(1) for k in ("id", "s", "t")}

    assert keys(before)["id"] != keys(renamed_title)["id"]
    assert keys(before)["s"] == keys(renamed_title)["s"], "the nearest heading is unchanged"
    assert keys(before)["s"] != keys(renamed_section)["s"]
    assert keys(before)["t"] == keys(renamed_section)["t"] == item_id("Check the room", [])
