"""Reading a page's source as MkDocs does, with a BlockError (file:line) instead of a traceback.

MkDocs opens pages as `utf-8-sig` (a byte-order mark is dropped, so front matter after it still
counts); every reader here does the same, and a page that is not UTF-8 is reported at the line
of its first bad byte. A notebook must also be JSON: mkdocs-jupyter would stop the build with a
traceback otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import BlockError


def read_page(source: Path, shown: Path | str | None = None) -> str:
    shown = source if shown is None else shown
    try:
        data = source.read_bytes()
    except OSError as err:
        raise BlockError(f"the page cannot be read ({err.strerror or err})", shown, 1) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise BlockError(f"the page is not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
                         "save it as UTF-8", shown, line) from None


def unreadable_page(source: Path, shown: Path | str | None = None) -> BlockError | None:
    """The problem that would stop a build from reading this page at all, if any."""
    try:
        text = read_page(source, shown)
        if source.suffix == ".ipynb":
            json.loads(text)
    except BlockError as err:
        return err
    except json.JSONDecodeError as err:
        return BlockError(f"the notebook is not valid JSON ({err.msg}, column {err.colno})",
                          source if shown is None else shown, err.lineno)
    return None
