"""The room server: the room's progress on the speaker's screen (issue 26, section 3).

The speaker starts it on their laptop (`workshop room serve`, or `python -m workshop_kit.room serve`);
participants who opt in have their `check.py` post each check's result to it; the speaker's
browser reads the room's progress with a token. Optional: it needs the `room` extra
(`pip install 'workshop-kit[room]'`: Starlette and uvicorn). SQLite in WAL mode keeps every
result, so a restart loses nothing.

Participant protocol (version 1)
--------------------------------

``POST /api/v1/results`` with ``Content-Type: application/json`` and a body of at most 2048 bytes
holding exactly these keys (no other key is accepted)::

    {"kit": "gitops-dvc",       # the kit's name: [a-z0-9-]{1,64}
     "step": 3,                 # the step checked: an integer, 1 <= step <= total
     "total": 7,                # the handout's number of steps: an integer, 1 <= total <= 100
     "check": "dvc-yaml-train", # the check's id: [a-z0-9-]{1,64}
     "ok": false,               # the check's result: true or false (not 0/1)
     "seat": "12",              # the participant's seat: [A-Za-z0-9 _-]{1,32}
     "lang": "en"}              # the page's language: "en" or "fr"

Nothing else is ever sent: no file contents, no paths, no output of a command. The server records
the time it received the post (the client's clock is never used).

Answers are JSON. Success: ``201 {"ok": true, "id": <row id>}``. Errors: ``{"ok": false, "error":
<code>, "message": <one sentence>}`` with

- 400 ``invalid-json`` (not UTF-8 JSON or not an object), ``invalid-field`` (``field`` names it),
  ``missing-field`` (``field``), ``unknown-field`` (``field``: the first extra key);
- 413 ``too-large`` (the body is over 2048 bytes);
- 415 ``unsupported-media-type`` (the Content-Type is not application/json);
- 429 ``rate-limited`` (more than 2 posts a second for this seat, after a burst of 10, or the
  room as a whole over its limit), with a ``Retry-After`` header in seconds;
- 409 ``room-full`` (too many kits, seats or check ids: see `limits.py`).

A client should send one post per check run, wait for the answer (timeout 5 s) and never retry in
a loop: a lost post only delays the speaker's view until the next check.

Speaker reads
-------------

``GET /api/v1/progress[?kit=<kit>]`` with ``Authorization: Bearer <speaker token>`` answers, per kit,
the seats seen and per step: ``done``, ``stuck``, ``working`` and ``not_started`` (counts and, for
the speaker's "Show seats", the seat names), plus the room's median pace (the median time between a
seat's consecutive first passes of steps), from which an agenda can project. Missing or wrong
token: 401. CORS is allowed only for the origin given with ``--origin`` (none by default). ``GET /``
is the speaker's page, served by the room server itself.
"""

PROTOCOL_VERSION = 1
