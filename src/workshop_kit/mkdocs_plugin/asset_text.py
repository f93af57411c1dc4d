"""The plugin's JS and CSS as shipped: comments and indentation dropped, nothing else touched.

The sources stay commented for readers of the repository; pages download the compact text.
Only whole-line comments go, never code, and a script with a multi-line template literal (the one
place where a line starting with // could be text) is shipped unchanged.
"""

from __future__ import annotations

import re

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _has_multiline_template(text: str) -> bool:
    return any(line.count("`") % 2 for line in text.splitlines())


def compact(text: str, suffix: str) -> str:
    if suffix == ".css":
        text = _CSS_COMMENT.sub("", text)
    elif suffix == ".js":
        if _has_multiline_template(text):
            return text
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    else:
        return text
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"
