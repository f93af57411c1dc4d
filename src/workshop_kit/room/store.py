"""The room's results in SQLite (WAL mode, synchronous=FULL): an acknowledged post is on disk, so
a restart, or a crash of the server, loses nothing.

Three tables: `results`, every accepted post as received (the log); `state`, the latest result of
each check of each seat (with when its current run of failures began and when it first passed);
`steps`, when each seat first had every check of a step passing. The speaker's progress is
computed from `state` and `steps`, which stay small (seats x checks), whatever the log's length.
"""

from __future__ import annotations

import sqlite3
import statistics
import threading
from pathlib import Path
from typing import Any

from . import limits
from .protocol import ProtocolError, Result

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    id INTEGER PRIMARY KEY, at REAL NOT NULL, kit TEXT NOT NULL, seat TEXT NOT NULL,
    step INTEGER NOT NULL, total INTEGER NOT NULL, check_id TEXT NOT NULL, ok INTEGER NOT NULL,
    lang TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (
    kit TEXT NOT NULL, seat TEXT NOT NULL, step INTEGER NOT NULL, check_id TEXT NOT NULL,
    ok INTEGER NOT NULL, last_at REAL NOT NULL, failing_since REAL, first_pass REAL,
    PRIMARY KEY (kit, seat, step, check_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS state_checks ON state (kit, check_id);
CREATE TABLE IF NOT EXISTS steps (
    kit TEXT NOT NULL, seat TEXT NOT NULL, step INTEGER NOT NULL, first_done REAL NOT NULL,
    PRIMARY KEY (kit, seat, step)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS kits (
    kit TEXT PRIMARY KEY, total INTEGER NOT NULL, last_at REAL NOT NULL) WITHOUT ROWID;
"""

UPSERT = """
INSERT INTO state (kit, seat, step, check_id, ok, last_at, failing_since, first_pass)
VALUES (:kit, :seat, :step, :check, :ok, :at,
        CASE WHEN :ok THEN NULL ELSE :at END, CASE WHEN :ok THEN :at END)
ON CONFLICT (kit, seat, step, check_id) DO UPDATE SET
    ok = excluded.ok,
    last_at = excluded.last_at,
    failing_since = CASE WHEN excluded.ok THEN NULL
                         WHEN state.ok = 0 THEN state.failing_since
                         ELSE excluded.last_at END,
    first_pass = COALESCE(state.first_pass, excluded.first_pass)
"""


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write_lock = threading.Lock()
        self.read_lock = threading.Lock()
        self.writer = self._connect()
        self.writer.executescript(SCHEMA)
        self.reader = self._connect()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise RuntimeError(f"{self.path}: SQLite refused WAL mode ({mode})")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA busy_timeout=30000")
        return connection

    def close(self) -> None:
        with self.write_lock, self.read_lock:
            self.reader.close()
            self.writer.close()

    def _room_for(self, db: sqlite3.Connection, result: Result) -> None:
        """Refuses a post that would add a kit, a seat or a check id beyond the limits."""
        kit = result.kit
        if not db.execute("SELECT 1 FROM kits WHERE kit = ?", (kit,)).fetchone():
            if db.execute("SELECT COUNT(*) FROM kits").fetchone()[0] >= limits.MAX_KITS:
                raise ProtocolError(409, "room-full", f"the room already follows {limits.MAX_KITS} kits")
        if not db.execute("SELECT 1 FROM state WHERE kit = ? AND seat = ? LIMIT 1", (kit, result.seat)).fetchone():
            seats = db.execute("SELECT COUNT(DISTINCT seat) FROM state WHERE kit = ?", (kit,)).fetchone()[0]
            if seats >= limits.MAX_SEATS_PER_KIT:
                raise ProtocolError(409, "room-full", f"the room already has {limits.MAX_SEATS_PER_KIT} seats "
                                                      "for this kit")
        if not db.execute("SELECT 1 FROM state WHERE kit = ? AND check_id = ? LIMIT 1",
                          (kit, result.check)).fetchone():
            checks = db.execute("SELECT COUNT(DISTINCT check_id) FROM state WHERE kit = ?", (kit,)).fetchone()[0]
            if checks >= limits.MAX_CHECKS_PER_KIT:
                raise ProtocolError(409, "room-full", f"the room already has {limits.MAX_CHECKS_PER_KIT} check "
                                                      "ids for this kit")

    def add(self, result: Result, at: float) -> int:
        """Records a post received at `at` (seconds since the epoch); returns its row id once committed."""
        values = {"kit": result.kit, "seat": result.seat, "step": result.step, "total": result.total,
                  "check": result.check, "ok": int(result.ok), "lang": result.lang, "at": at}
        with self.write_lock:
            db = self.writer
            db.execute("BEGIN IMMEDIATE")
            try:
                self._room_for(db, result)
                row = db.execute(
                    "INSERT INTO results (at, kit, seat, step, total, check_id, ok, lang) "
                    "VALUES (:at, :kit, :seat, :step, :total, :check, :ok, :lang)", values).lastrowid
                assert row is not None  # an INSERT that succeeded has a row id
                db.execute(UPSERT, values)
                db.execute("INSERT INTO kits (kit, total, last_at) VALUES (:kit, :total, :at) "
                           "ON CONFLICT (kit) DO UPDATE SET total = excluded.total, last_at = excluded.last_at",
                           values)
                if result.ok and db.execute(
                        "SELECT MIN(ok) FROM state WHERE kit = :kit AND seat = :seat AND step = :step",
                        values).fetchone()[0]:
                    db.execute("INSERT OR IGNORE INTO steps (kit, seat, step, first_done) "
                               "VALUES (:kit, :seat, :step, :at)", values)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return row

    def count(self) -> int:
        with self.read_lock:
            return self.reader.execute("SELECT COUNT(*) FROM results").fetchone()[0]

    def progress(self, now: float, stuck_seconds: float, kit: str | None = None) -> dict:
        """The room's progress at `now`: per kit, per step, which seats are done, stuck, working or
        not started, and the median pace."""
        where, args = ("WHERE kit = ?", (kit,)) if kit else ("", ())
        with self.read_lock:
            db = self.reader
            db.execute("BEGIN")
            try:
                kits = db.execute(f"SELECT kit, total FROM kits {where} ORDER BY kit", args).fetchall()
                states = db.execute(f"SELECT kit, seat, step, ok, failing_since FROM state {where}", args).fetchall()
                firsts = db.execute(f"SELECT kit, seat, step, first_done FROM steps {where}", args).fetchall()
            finally:
                db.execute("COMMIT")
        return {"now": now, "stuck_minutes": stuck_seconds / 60,
                "kits": [summarize(name, total, [s for s in states if s[0] == name],
                                   [f for f in firsts if f[0] == name], now, stuck_seconds)
                         for name, total in kits]}


def summarize(kit: str, total: int, states: list[tuple], firsts: list[tuple], now: float,
              stuck_seconds: float) -> dict:
    # seat -> step -> [all checks passing, earliest start of a current run of failures]
    seats: dict[str, dict[int, list]] = {}
    for _, seat, step, ok, failing_since in states:
        entry = seats.setdefault(seat, {}).setdefault(step, [True, None])
        if not ok:
            entry[0] = False
            if failing_since is not None and (entry[1] is None or failing_since < entry[1]):
                entry[1] = failing_since
    last_step = max([total] + [step for steps in seats.values() for step in steps])
    rows: dict[int, dict[str, Any]] = {step: {"step": step, "done": [], "stuck": [], "working": [], "not_started": []}
                                       for step in range(1, last_step + 1)}
    for seat in sorted(seats):
        steps = seats[seat]
        stuck_at = next((step for step in sorted(steps) if not steps[step][0] and steps[step][1] is not None
                         and now - steps[step][1] > stuck_seconds), None)
        for number, row in rows.items():
            state = steps.get(number)
            if state is None:
                row["not_started"].append(seat)
            elif state[0]:
                row["done"].append(seat)
            elif number == stuck_at:
                row["stuck"].append(seat)
            else:
                row["working"].append(seat)
    for row in rows.values():
        for name in ("done", "stuck", "working", "not_started"):
            row[name + "_count"] = len(row[name])
    by_seat: dict[str, list[float]] = {}
    for _, seat, _, first_done in firsts:
        by_seat.setdefault(seat, []).append(first_done)
    gaps = []
    for times in by_seat.values():
        times.sort()
        gaps += [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    return {"kit": kit, "total": total, "seats": len(seats), "steps": list(rows.values()),
            "median_pace_seconds": statistics.median(gaps) if gaps else None, "pace_samples": len(gaps)}
