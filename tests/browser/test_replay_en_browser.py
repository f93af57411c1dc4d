"""A participant follows docs/gitops-dvc/handout.md with its copy buttons, from the starter the
page links (replay.py)."""

import pytest
from replay import replay

pytestmark = pytest.mark.browser


def test_a_participant_follows_the_handout_with_the_copy_buttons(site_url, chromium_browser, tmp_path, request):
    replay("docs/gitops-dvc/handout.md", site_url, chromium_browser, tmp_path, request)
