"""Language-switcher links that work wherever the site is hosted, and stay on the same page.

mkdocs-static-i18n points the switcher at the same page in the other language, with relative
links, except on the home pages, where it writes root-absolute ones ("/", "/fr/"). Those break
a site served from a sub-path (a GitHub Pages project site), so they are made relative too.
On notebook pages it falls back to the other language's home; those links are pointed at the
notebook's twin when the site has one.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(?:a|link)\b[^>]*>")
_HREF = re.compile(r'\bhref="(?P<href>/(?!/)[^"]*)"')


def relative_to_page(target: str, page_url: str) -> str:
    """`target` and `page_url` are both relative to the site root, MkDocs-style ("", "fr/", "a/b/")."""
    folder = page_url[: page_url.rfind("/") + 1]
    return "../" * folder.count("/") + target or "./"


def relative_alternates(html: str, page_url: str, site_path: str = "/") -> str:
    site_path = site_path if site_path.endswith("/") else site_path + "/"

    def fix_tag(tag: re.Match) -> str:
        text = tag.group(0)
        if "hreflang=" not in text or not ("md-select__link" in text or 'rel="alternate"' in text):
            return text

        def fix_href(href: re.Match) -> str:
            target = href.group("href")
            if not target.startswith(site_path):
                return href.group(0)
            return f'href="{relative_to_page(target[len(site_path):], page_url)}"'

        return _HREF.sub(fix_href, text)

    return _TAG.sub(fix_tag, html)


def twin_url(page_url: str, lang: str, to_lang: str, default_lang: str) -> str:
    """The URL of a page in another language, with static-i18n's suffix layout ("fr/" prefix)."""
    own = "" if lang == default_lang else f"{lang}/"
    bare = page_url[len(own):] if own and page_url.startswith(own) else page_url
    return bare if to_lang == default_lang else f"{to_lang}/{bare}"


def twin_source(src_uri: str, lang: str, to_lang: str, default_lang: str) -> str:
    """`a/page.ipynb` <-> `a/page.fr.ipynb`: the twin's source path, suffix layout."""
    stem, dot, suffix = src_uri.rpartition(".")
    if lang != default_lang and stem.endswith(f".{lang}"):
        stem = stem[: -len(lang) - 1]
    return f"{stem}.{suffix}" if to_lang == default_lang else f"{stem}.{to_lang}.{suffix}"


def alternates_to_twins(html: str, page_url: str, lang: str, default_lang: str, has_twin) -> str:
    """Points each language link at this page's twin in that language, when `has_twin(lang)`."""

    def fix_tag(tag: re.Match) -> str:
        text = tag.group(0)
        target_lang = re.search(r'hreflang="([^"]+)"', text)
        if not target_lang or not ("md-select__link" in text or 'rel="alternate"' in text):
            return text
        if not has_twin(target_lang.group(1)):
            return text
        twin = twin_url(page_url, lang, target_lang.group(1), default_lang)
        return re.sub(r'\bhref="[^"]*"', f'href="{relative_to_page(twin, page_url)}"', text, count=1)

    return _TAG.sub(fix_tag, html)
