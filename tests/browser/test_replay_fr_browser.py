"""A participant follows docs/gitops-dvc/handout.fr.md with its copy buttons, from the starter the
page links (replay.py)."""

import pytest
from replay import replay

pytestmark = pytest.mark.browser


def test_a_participant_follows_the_handout_with_the_copy_buttons(site_url, chromium_browser, tmp_path, request):
    # The French page runs what the English one runs, block for block, unless it copies or displays
    # anything differently: then it is replayed in full (replay.py, `same_as`).
    replay("docs/gitops-dvc/handout.fr.md", site_url, chromium_browser, tmp_path, request,
           same_as="docs/gitops-dvc/handout.md")


def test_a_french_page_that_differs_from_its_twin_is_replayed(monkeypatch, tmp_path):
    import replay as module

    views = {"fr": module.ParticipantView(None, [], [], {"kit": b"zip"}),
             "en": module.ParticipantView(None, [], [], {"kit": b"zip"})}
    ran = []
    monkeypatch.setattr(module, "participant_view", lambda source, *_: views[source])
    monkeypatch.setattr(module, "run_view", lambda view, *_: ran.append(view))
    monkeypatch.setattr(module.ParticipantView, "runs", lambda self: [("console", "ls", "$ ls")])
    module.replay("fr", "", None, tmp_path, None, same_as="en")
    assert ran == []
    views["en"].starters = {"kit": b"other bytes"}
    module.replay("fr", "", None, tmp_path, None, same_as="en")
    assert ran == [views["fr"]]
