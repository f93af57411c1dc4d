"""Forms of secrets the scan must find beyond detect-secrets' own detectors (issue 23 §5), one
fixture per form, each built at run time so that no real-looking secret sits in this file."""

from __future__ import annotations

import pytest

from workshop_kit.checks.secrets import scan_text

GITHUB_FINE_GRAINED = "github_pat_" + "11ABCDEFG0" * 2 + "ab_" + "Zx9" * 20
SLACK_TRIGGER = "https://hooks.slack.com/triggers/" + "T0ABCDEF1" + "/" + "1234567890123" + "/" + "f3" * 16
AWS_SECRET = "wJalrXUtnFEMI/" + "K7MDENG/bPxRfiCY" + "EXAMPLEKEY"

FORMS = {
    "GitHub fine-grained token": f"export GH_TOKEN={GITHUB_FINE_GRAINED}\n",
    "Slack workflow trigger": f'curl -X POST "{SLACK_TRIGGER}" -d "{{}}"\n',
    "encrypted private key in a YAML block scalar": "deploy:\n  key: |\n    -----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                                                    "    MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n"
                                                    "    -----END ENCRYPTED PRIVATE KEY-----\n",
    "OpenSSH private key": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
    "AWS secret after a continued line": f"dvc remote modify storage secret_access_key \\\n    {AWS_SECRET}\n",
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_is_found_at_its_line(form):
    problems = scan_text("docs/page.md", FORMS[form])
    assert problems, f"{form} was not found"
    assert len({(p.line, p.message) for p in problems}) == len(problems)


def test_the_continued_line_is_found_only_by_joining_it():
    first, second = FORMS["AWS secret after a continued line"].splitlines()
    assert scan_text("docs/page.md", first + "\n") == [] and scan_text("docs/page.md", second + "\n") == []
    [problem] = scan_text("docs/page.md", "echo start\n" + FORMS["AWS secret after a continued line"])
    assert problem.line == 2


def test_placeholders_in_the_same_forms_pass():
    text = ("export GH_TOKEN=<your fine-grained token>\n"
            "dvc remote modify storage \\\n    secret_access_key $AWS_SECRET_ACCESS_KEY\n"
            "curl -X POST \"$SLACK_WEBHOOK_URL\"\n")
    assert scan_text("docs/page.md", text) == []
