"""`kits:` in mkdocs.yml: what it accepts and how it says what is wrong."""

import pytest

from workshop_kit.kit.config import DEFAULT_OMITS, Kit, KitError, kits_from_config, parse_kits, workshop_of


def test_a_kit_needs_a_project_and_defaults_the_rest():
    kits = parse_kits({"w": {"project": "p"}})
    assert kits == {"w": Kit("w", "p", (), DEFAULT_OMITS, False)}
    assert kits["w"].starter_name == "w-starter" and kits["w"].solution_name == "w-solution"


def test_paths_are_normalised():
    kit = parse_kits({"w": {"project": "p", "writes": ["src/", " dvc.yaml "], "omits": []}})["w"]
    assert kit.writes == ("src", "dvc.yaml") and kit.omits == ()


@pytest.mark.parametrize("raw, message", [
    ([1], "must map each workshop"),
    ({"w": {}}, "workshop.kits.w needs 'project"),
    ({"w": {"project": ""}}, "needs 'project"),
    ({"w": {"project": "p", "writes": "dvc.yaml"}}, "writes must be a list"),
    ({"w": {"project": "p", "writes": ["../x"]}}, "inside the project"),
    ({"w": {"project": "p", "writes": ["/etc/x"]}}, "inside the project"),
    ({"w": {"project": "p", "git": "yes"}}, "git must be true or false"),
    ({"w": {"project": "p", "write": []}}, "unknown key(s) write"),
])
def test_bad_entries_say_which_key(raw, message):
    with pytest.raises(KitError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_kits(raw)


def test_kits_are_read_from_the_workshop_plugin_entry():
    config = {"plugins": ["search", {"i18n": {}}, {"workshop": {"kits": {"w": {"project": "p"}}}}]}
    assert list(kits_from_config(config)) == ["w"]
    assert kits_from_config({"plugins": ["search"]}) == {}


def test_the_workshop_of_a_page_is_its_first_folder():
    assert workshop_of("notebook-to-pipeline/handout.md") == "notebook-to-pipeline"
    assert workshop_of("index.md") is None
