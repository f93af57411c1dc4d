"""Language-switcher links that work wherever the site is hosted.

mkdocs-static-i18n points the switcher at the same page in the other language, with relative
links, except on the home pages, where it writes root-absolute ones ("/", "/fr/"). Those break
a site served from a sub-path (a GitHub Pages project site), so they are made relative too.
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
