"""The `mini_site` fixture: see mini_site.py."""

from pathlib import Path

import pytest
from mini_site import MiniSite


@pytest.fixture
def mini_site(tmp_path: Path) -> MiniSite:
    return MiniSite(tmp_path)
