"""Where the pytest plugin keeps the site's blocks and the run's settings: a key of pytest's config
stash, read by the plugin and by the items of the site's blocks (pytest_items.py)."""

from __future__ import annotations

import pytest

# {"site", "docs", "root", "examples", "cache", "timeout", "lock_file", "update", "snippets", "kits",
# "repo_url"}, once the plugin has read the site (pytest_plugin._site_blocks).
SITE_BLOCKS = pytest.StashKey[dict]()
