"""What the plugin adds to every page: the base for the scripts and the early view script."""

import html
import json
import re

from workshop_kit.mkdocs_plugin.page_head import add_to_head

PAGE = ('<html lang="fr"><head><title>t</title></head><body>'
        '<div class="md-container" data-md-component="container"></div></body></html>')


def test_the_base_labels_and_view_script_are_added_once():
    out = add_to_head(PAGE, "fr/gitops-dvc/agenda/", "fr", storage_prefix='team "a"')
    assert out.count('data-wk-base="../../../"') == 2, "on <html> and on Material's container"
    labels = json.loads(html.unescape(re.search(r'<meta name="wk-labels" content="([^"]*)">', out).group(1)))
    assert labels["view.speaker"] == "Vue animateur" and "{url}" in labels["sheet.failed"]
    assert '<meta name="wk-storage-prefix" content="team &quot;a&quot;">' in out
    head = out[: out.index("</head>")]
    assert head.index("wk-storage-prefix") < head.index("<script>"), "the script reads the prefix"
    assert out.count("<script>") == 1 and "dataset.wkView" in out
