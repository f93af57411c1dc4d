"""Language links become relative to the page, so the site works from any sub-path."""

import pytest

from workshop_kit.alternate_links import relative_alternates, relative_to_page

HOME = ('<link rel="alternate" href="/" hreflang="en">\n<link rel="alternate" href="/fr/" hreflang="fr">\n'
        '<a href="/fr/" hreflang="fr" class="md-select__link">Français</a>\n'
        '<a href="/about/">About</a>\n<a href="//cdn.example.org/x.js" hreflang="en" class="md-select__link">x</a>')


@pytest.mark.parametrize("target, page, expected", [
    ("fr/", "", "fr/"), ("", "", "./"), ("", "fr/", "../"), ("fr/a/b/", "a/b/", "../../fr/a/b/"),
    ("x.html", "a/b.html", "../x.html"), ("fr/", "index.html", "fr/"),
])
def test_relative_to_page(target, page, expected):
    assert relative_to_page(target, page) == expected


def test_only_language_links_are_rewritten():
    html = relative_alternates(HOME, "fr/")
    assert html.splitlines() == [
        '<link rel="alternate" href="../" hreflang="en">', '<link rel="alternate" href="../fr/" hreflang="fr">',
        '<a href="../fr/" hreflang="fr" class="md-select__link">Français</a>',
        '<a href="/about/">About</a>', '<a href="//cdn.example.org/x.js" hreflang="en" class="md-select__link">x</a>',
    ]


def test_a_site_url_with_a_path_is_stripped_first():
    html = '<link rel="alternate" href="/workshops/fr/" hreflang="fr">'
    assert relative_alternates(html, "a/", "/workshops") == '<link rel="alternate" href="../fr/" hreflang="fr">'
    other = '<link rel="alternate" href="/elsewhere/" hreflang="fr">'
    assert relative_alternates(other, "a/", "/workshops/") == other
