"""The comparison `make peer-test` makes (the suites themselves run only there: they need the index)."""

import peer_test


def test_a_test_that_passes_without_and_fails_with_our_extensions_must_be_listed():
    results = {"pymdown-extensions": ({"t.py::a[x/tasklist.txt]": "passed", "t.py::b": "passed", "t.py::c": "failed"},
                                      {"t.py::a[x/tasklist.txt]": "failed", "t.py::b": "failed", "t.py::c": "failed"})}
    allow = [("pymdown-extensions::t.py::a[x/task*.txt]", "ids"), ("pymdown-extensions::gone", "old")]
    allowed, unlisted, stale = peer_test.compare(results, allow)
    assert allowed == [("pymdown-extensions::t.py::a[x/tasklist.txt]", "ids")]
    assert unlisted == [("pymdown-extensions::t.py::b", "failed")]
    assert stale == ["pymdown-extensions::gone"]


def test_the_checked_in_allow_list_gives_a_reason_for_every_entry():
    entries = peer_test.read_allowlist(peer_test.HERE / "allowlist.txt")
    assert entries and all(pattern and reason for pattern, reason in entries)
