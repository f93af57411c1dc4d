"""Validation of a participant's post: exactly the protocol's seven fields, nothing else."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

MAX_BODY = 2048  # bytes: a valid post is under 250
MAX_STEPS = 100
KIT = re.compile(r"[a-z0-9-]{1,64}")
CHECK = re.compile(r"[a-z0-9-]{1,64}")
SEAT = re.compile(r"[A-Za-z0-9 _-]{1,32}")
LANGS = ("en", "fr")
FIELDS = ("kit", "step", "total", "check", "ok", "seat", "lang")


class ProtocolError(Exception):
    """A refused post: the HTTP status, a stable error code and a sentence for the participant."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def body(self) -> dict:
        body = {"ok": False, "error": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


@dataclass(frozen=True)
class Result:
    kit: str
    step: int
    total: int
    check: str
    ok: bool
    seat: str
    lang: str


def _text(data: dict, name: str, pattern: re.Pattern, rule: str) -> str:
    value = data[name]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ProtocolError(400, "invalid-field", f"'{name}' must be {rule}", name)
    return value


def _integer(data: dict, name: str, low: int, high: int) -> int:
    value = data[name]
    # bool is an int in Python: true/false are not step numbers.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProtocolError(400, "invalid-field", f"'{name}' must be an integer from {low} to {high}", name)
    return value


def parse_result(body: bytes) -> Result:
    """The post's Result, or ProtocolError naming what is wrong (checked in a fixed order)."""
    if len(body) > MAX_BODY:
        raise ProtocolError(413, "too-large", f"the body is over {MAX_BODY} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ProtocolError(400, "invalid-json", "the body is not UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise ProtocolError(400, "invalid-json", "the body must be a JSON object")
    for name in data:
        if name not in FIELDS:
            raise ProtocolError(400, "unknown-field", f"'{str(name)[:40]}' is not part of the protocol; "
                                f"send only {', '.join(FIELDS)}", str(name)[:40])
    for name in FIELDS:
        if name not in data:
            raise ProtocolError(400, "missing-field", f"'{name}' is missing", name)
    total = _integer(data, "total", 1, MAX_STEPS)
    step = _integer(data, "step", 1, MAX_STEPS)
    if step > total:
        raise ProtocolError(400, "invalid-field", "'step' must not be greater than 'total'", "step")
    ok = data["ok"]
    if not isinstance(ok, bool):
        raise ProtocolError(400, "invalid-field", "'ok' must be true or false", "ok")
    lang = data["lang"]
    if lang not in LANGS:
        raise ProtocolError(400, "invalid-field", "'lang' must be \"en\" or \"fr\"", "lang")
    return Result(
        kit=_text(data, "kit", KIT, "1 to 64 of a-z, 0-9 and -"),
        step=step, total=total,
        check=_text(data, "check", CHECK, "1 to 64 of a-z, 0-9 and -"),
        ok=ok,
        seat=_text(data, "seat", SEAT, "1 to 32 of A-Z, a-z, 0-9, space, _ and -"),
        lang=lang,
    )
