"""What the plugin adds to a page a reader downloads (target: under 8 KB gzipped), as shipped:
compacted by the plugin, each file gzipped on its own as a web server sends it."""

from __future__ import annotations

import gzip

from common import ROOT

# Imported by workshop.js only on the pages that use them.
LAZY = {"sheet.js": "a speaker sheet", "timing.js": "an agenda", "checklist.js": "a checklist",
        "room.js": "a handout with step checks, or an agenda"}


def bench_weight() -> tuple[str, str]:
    from workshop_kit.mkdocs_plugin.asset_text import compact

    sizes = {}
    for path in sorted((ROOT / "src/workshop_kit/assets").glob("*")):
        if path.suffix in (".js", ".css"):
            sizes[path.name] = len(gzip.compress(compact(path.read_text(), path.suffix).encode(), 9))
    every_page = sum(size for name, size in sizes.items() if name not in LAZY)
    agenda = every_page + sizes["timing.js"] + sizes["room.js"]
    guide = every_page + sizes["checklist.js"]
    handout = every_page + sizes["room.js"]
    sheet = every_page + sum(sizes[name] for name in LAZY)  # a sheet holds an agenda and a checklist
    return ("plugin JS + CSS a page downloads, gzipped",
            f"{every_page / 1024:.1f} KB on every page, {handout / 1024:.1f} KB on a handout with step checks, "
            f"{agenda / 1024:.1f} KB on an agenda, {guide / 1024:.1f} KB on a checklist page, "
            f"{sheet / 1024:.1f} KB on a speaker sheet")
