"""What the plugin adds to each page's <head>: the storage prefix, the view labels, and a tiny
inline script that applies the saved speaker/participant view before the page is drawn, so
speaker notes never flash on a participant's screen."""

from __future__ import annotations

import html
import json
import re

from ..extensions.i18n import STRINGS, translate
from .alternate_links import relative_to_page

# Mirrors store.js: the key is "wk:" + (storage prefix or the site root's path) + ":view:".
_APPLY_VIEW = (
    "(function(){var d=document.documentElement,v='participant';try{"
    "var m=document.querySelector('meta[name=wk-storage-prefix]');"
    "var ns=m?m.content:new URL(d.getAttribute('data-wk-base'),location.href).pathname;"
    "var s=JSON.parse(localStorage.getItem('wk:'+ns+':view:'));"
    "if(s&&s.v===1&&s.data&&s.data.view==='speaker')v='speaker'}catch(e){}d.dataset.wkView=v})();"
)


# Every label of the room's progress (room.js), singular forms ("room.seats_one") included.
ROOM_LABELS = tuple(key for key in STRINGS["en"] if key.startswith("room."))
HEAD_LABELS = ("view.speaker", "view.show", "view.hide", "sheet.loading", "sheet.failed", *ROOM_LABELS)


def head_additions(page_url: str, lang: str, storage_prefix: str = "") -> str:
    parts = []
    if storage_prefix:
        parts.append(f'<meta name="wk-storage-prefix" content="{html.escape(storage_prefix, quote=True)}">')
    labels = {key: translate(key, lang) for key in HEAD_LABELS}
    parts.append(f'<meta name="wk-labels" content="{html.escape(json.dumps(labels, ensure_ascii=False), quote=True)}">')
    parts.append(f"<script>{_APPLY_VIEW}</script>")
    return "".join(parts)


# Material fetches `<href>/sitemap.xml` for every <link rel="alternate"> in the head, to send the
# language switcher to the same page; our alternates already are the same page in the other
# language (alternate_links.py), so each probe is a 404 in the console. The switcher's own links
# (`a.md-select__link[hreflang]`) stay and keep working.
_ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')


def add_to_head(output: str, page_url: str, lang: str, storage_prefix: str = "") -> str:
    """Inserts the additions before </head>, and the site base where the scripts read it.

    The base goes on <html> for the inline script, and on Material's container, which instant
    navigation replaces with the next page's (<html> and Material's own config stay those of the
    first page loaded, so their relative base would be wrong after a navigation).
    """
    base = html.escape(relative_to_page("", page_url), quote=True)  # the site root
    head, _, rest = output.partition("</head>")
    output = _ALTERNATE_LINK.sub("", head) + _ + rest
    output = output.replace("<html ", f'<html data-wk-base="{base}" ', 1)
    output = output.replace('data-md-component="container"', f'data-md-component="container" data-wk-base="{base}"', 1)
    return output.replace("</head>", head_additions(page_url, lang, storage_prefix) + "</head>", 1)
