"""Any body at all: the validator answers a Result that fits the protocol, or its own ProtocolError."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.room.protocol import CHECK, FIELDS, KIT, MAX_BODY, SEAT, ProtocolError, Result, parse_result

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 200) | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)
OBJECTS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), VALUES, max_size=9)


def check(body: bytes) -> None:
    try:
        result = parse_result(body)
    except ProtocolError as refused:
        assert refused.status in (400, 413) and refused.code and refused.message
        return
    assert isinstance(result, Result)
    assert len(body) <= MAX_BODY
    assert KIT.fullmatch(result.kit) and CHECK.fullmatch(result.check) and SEAT.fullmatch(result.seat)
    assert type(result.step) is int and type(result.total) is int and 1 <= result.step <= result.total <= 100
    assert type(result.ok) is bool and result.lang in ("en", "fr")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=MAX_BODY + 10))
def test_any_bytes(body):
    check(body)


@settings(max_examples=300, deadline=None)
@given(OBJECTS)
def test_any_json_object(data):
    check(json.dumps(data).encode())


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({
    "kit": st.from_regex(r"[a-z0-9-]{1,64}", fullmatch=True) | st.text(max_size=70),
    "step": st.integers(-1, 102), "total": st.integers(-1, 102),
    "check": st.from_regex(r"[a-z0-9-]{1,64}", fullmatch=True) | st.text(max_size=70),
    "ok": st.booleans() | st.integers(0, 1),
    "seat": st.from_regex(r"[A-Za-z0-9 _-]{1,32}", fullmatch=True) | st.text(max_size=40),
    "lang": st.sampled_from(["en", "fr", "de", "EN", ""]),
}))
def test_nearly_valid_posts(data):
    check(json.dumps(data).encode())
