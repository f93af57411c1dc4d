"""The speaker token: made with `secrets`, kept in a file beside the database (mode 0600) so that
a restart keeps it, compared in constant time."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TOKEN_FILE = "speaker-token"
MIN_LENGTH = 16


class TokenError(Exception):
    pass


def load_or_create(path: Path) -> str:
    """The token stored in `path`, or a new one written there (readable by its owner only)."""
    path = Path(path)
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if len(token) < MIN_LENGTH or any(c.isspace() for c in token):
            raise TokenError(f"{path}: not a speaker token (one line of at least {MIN_LENGTH} characters); "
                             "delete it to have a new one made")
        return token
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(token + "\n")
    return token


def bearer_matches(header: str | None, token: str) -> bool:
    """True when an Authorization header is `Bearer <token>`."""
    if not header:
        return False
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return secrets.compare_digest(value.strip().encode("utf-8"), token.encode("utf-8"))
