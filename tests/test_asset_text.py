"""The shipped JS and CSS lose their comments and indentation, and nothing else."""

from pathlib import Path

from workshop_kit.mkdocs_plugin.asset_text import compact

ASSETS = Path(__file__).parents[1] / "src/workshop_kit/assets"


def test_js_keeps_every_line_of_code_in_order():
    source = "// a comment\nconst a = 1; // kept: not a whole-line comment\n\n  if (a) {\n    run('//x');\n  }\n"
    assert compact(source, ".js") == "const a = 1; // kept: not a whole-line comment\nif (a) {\nrun('//x');\n}\n"


def test_a_multiline_template_literal_ships_the_script_unchanged():
    source = "const text = `first\n// not a comment\n`;\n"
    assert compact(source, ".js") == source


def test_css_loses_comments_even_across_lines():
    assert compact("/* a\n b */\n.x {\n  color: red; /* inline */\n}\n", ".css") == ".x {\ncolor: red;\n}\n"


def test_every_shipped_asset_keeps_its_code_lines():
    for path in ASSETS.glob("*.js"):
        source = path.read_text()
        code = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("//")]
        assert compact(source, ".js").splitlines() == code, path.name
