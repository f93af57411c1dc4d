"""A notebook's `workshop` metadata (where its cells run, or why not): read by the block runner, the
checks and the plugin alike. A base module: it imports nothing of Workshop Kit."""

from __future__ import annotations


def notebook_workshop_meta(notebook: dict) -> dict:
    """A parsed notebook's `workshop` metadata: where its cells run (project, setup) or why not (skip)."""
    meta = (notebook.get("metadata") or {}).get("workshop")
    return dict(meta) if isinstance(meta, dict) else {}
