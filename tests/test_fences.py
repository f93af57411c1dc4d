import markdown
import pytest

from workshop_kit.extensions import fences

CONFIG = {"pymdownx.superfences": {"custom_fences": [
    {"name": "*", "class": "highlight", "validator": fences.validator, "format": fences.formatter}]}}


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["admonition", "pymdownx.highlight", "pymdownx.superfences"],
                             extension_configs=CONFIG)


def test_binding_options_are_accepted_and_not_rendered():
    html = render('```bash project="pokemon-dvc" title="Run it"\ndvc repro\n```\n')
    assert 'class="filename">Run it<' in html
    assert "pokemon-dvc" not in html
    assert "dvc" in html and "repro" in html


def test_skip_inside_an_admonition():
    html = render('!!! note\n    ```bash skip="needs a cloud account"\n    ovhai job run\n    ```\n')
    assert "ovhai" in html and "needs a cloud account" not in html


@pytest.mark.parametrize(("header", "message"), [
    ('```bash foo="x"', "unknown fence option 'foo'"),
    ('```bash project="a" skip="b"', "either project"),
    ('```bash skip=""', 'skip="" is empty'),
    ('```bash skip="   "', 'skip="   " is empty'),
    ('```bash project=""', 'project="" is empty'),
    ('```bash serves=""', 'serves="" is empty'),
    ('```bash hl_lines="unexpected 3"', 'hl_lines="unexpected 3" has an invalid value'),
    ('```python linenums="abc"', 'linenums="abc" has an invalid value'),
])
def test_bad_fence_options_never_raise_the_code_still_renders_and_the_problem_is_kept(header, message):
    """Issue 17 §1: no SuperFencesException (a traceback in the build); the page checks report it."""
    md = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"], extension_configs=CONFIG)
    html = md.convert(f"{header}\ncode\n```\n")
    assert "code" in html and "```" not in html
    assert any(message in problem for problem in md.workshop_fence_problems)


def test_the_fence_validator_and_the_checks_share_one_verdict():
    from workshop_kit.blocks.collect import parse_options
    from workshop_kit.blocks.model import BlockError

    for options in ('skip=""', 'foo="x"', 'hl_lines="a"', 'project="a" skip="b"'):
        with pytest.raises(BlockError) as caught:
            parse_options(options, ("p.md", 1))
        assert caught.value.message == fences.option_problems(
            {m.group("key"): m.group("value")
             for m in __import__("pymdownx.superfences").superfences.RE_OPTIONS.finditer(options)})[0]


def test_data_attributes_are_accepted_with_attr_list():
    """Issue 17 §7: `{.python data-copy="..."}` renders as SuperFences renders it."""
    md = markdown.Markdown(extensions=["attr_list", "pymdownx.highlight", "pymdownx.superfences"],
                           extension_configs=CONFIG)
    html = md.convert('```{.python data-copy="print(1)"}\nprint(1)\n```\n')
    assert 'data-copy="print(1)"' in html and not md.workshop_fence_problems


def render_with_origin(text: str, lang: str = "en", project: str | None = None, url: str = "") -> str:
    from workshop_kit.extensions.source import SourcePage

    page = SourcePage(lang=lang, project=project)
    links = fences.FencesExtension(page=page, examples_url=url,
                                   examples_dir="tests/fixtures/blocks-site/examples")
    return markdown.markdown(text, extensions=["pymdownx.highlight", "pymdownx.superfences", links],
                             extension_configs=CONFIG)


def test_a_bound_block_says_where_it_is_tested_linking_to_a_titled_file():
    html = render_with_origin('```yaml project="tiny" title="params.yaml"\na: 1\n```\n',
                              url="https://git.example.org/kit/tree/main/examples/")
    assert ('<p class="wk-block-origin"><a href="https://git.example.org/kit/tree/main/examples/tiny/params.yaml">'
            "Tested in examples/tiny/params.yaml</a></p>") in html


def test_the_page_default_project_is_named_without_a_link_when_no_url_is_known():
    html = render_with_origin("```bash\nls\n```\n", project="tiny")
    assert '<p class="wk-block-origin">Tested in examples/tiny</p>' in html


def test_a_skipped_block_gives_its_reason_in_the_page_language():
    html = render_with_origin('```bash skip="demande un compte <cloud>"\nls\n```\n', lang="fr")
    assert "Non exécuté en CI : demande un compte &lt;cloud&gt;" in html


def test_an_unbound_block_renders_without_a_note():
    assert "wk-block-origin" not in render_with_origin("```bash\nls\n```\n")


@pytest.mark.parametrize("reason, hint", [
    ("needs an OVHcloud account", "Needs an OVHcloud account"),
    ("demande un compte DVC Studio", "Demande un compte DVC Studio"),
    ("starts an interactive Jupyter server", None),
])
def test_participants_get_a_hint_only_for_reasons_about_their_own_set_up(reason, hint):
    html = render_with_origin(f'```bash skip="{reason}"\nls\n```\n')
    assert "wk-block-origin--skipped" in html  # the CI label, for the speaker view
    assert (f'<p class="wk-block-hint">{hint}</p>' in html) if hint else ("wk-block-hint" not in html)
