"""Language links become relative to the page, so the site works from any sub-path."""

import pytest

from workshop_kit.mkdocs_plugin.alternate_links import (
    alternates_to_twins,
    relative_alternates,
    relative_to_page,
    twin_source,
    twin_url,
)

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


@pytest.mark.parametrize("url, lang, to_lang, expected", [
    ("a/nb/", "en", "fr", "fr/a/nb/"), ("fr/a/nb/", "fr", "en", "a/nb/"), ("fr/a/nb/", "fr", "fr", "fr/a/nb/"),
    ("a/nb/", "en", "en", "a/nb/"),
])
def test_twin_url(url, lang, to_lang, expected):
    assert twin_url(url, lang, to_lang, "en") == expected


def test_twin_source():
    assert twin_source("a/nb.ipynb", "en", "fr", "en") == "a/nb.fr.ipynb"
    assert twin_source("a/nb.fr.ipynb", "fr", "en", "en") == "a/nb.ipynb"


def test_notebook_links_point_at_the_twin_only_when_it_exists():
    html = '<a href="../../fr/" hreflang="fr" class="md-select__link">Français</a>'
    assert alternates_to_twins(html, "a/nb/", "en", "en", lambda lang: True) == \
        '<a href="../../fr/a/nb/" hreflang="fr" class="md-select__link">Français</a>'
    assert alternates_to_twins(html, "a/nb/", "en", "en", lambda lang: False) == html
