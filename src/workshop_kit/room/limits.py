"""Rate limits: a token bucket per seat and one for the whole room, on an injectable clock."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable

SEAT_RATE = 2.0     # posts per second, per seat, once the burst is spent
SEAT_BURST = 10
ROOM_RATE = 200.0   # posts per second for the whole room: 100 seats at 2/s, twice over
ROOM_BURST = 400
MAX_TRACKED = 10_000  # seats remembered by the limiter (least recently seen forgotten first)

# What the store accepts, so that a participant cannot fill the speaker's disk or screen.
MAX_KITS = 20
MAX_SEATS_PER_KIT = 300
MAX_CHECKS_PER_KIT = 1000


class Bucket:
    __slots__ = ("tokens", "at")

    def __init__(self, tokens: float, at: float):
        self.tokens, self.at = tokens, at


class RateLimiter:
    """`allow(key)` is 0 when a post may go on, else the seconds to wait before the next one."""

    def __init__(self, rate: float = SEAT_RATE, burst: int = SEAT_BURST,
                 room_rate: float = ROOM_RATE, room_burst: int = ROOM_BURST,
                 clock: Callable[[], float] | None = None, max_tracked: int = MAX_TRACKED):
        import time

        self.rate, self.burst = rate, burst
        self.room_rate, self.room_burst = room_rate, room_burst
        self.clock = clock or time.monotonic
        self.max_tracked = max_tracked
        self.buckets: OrderedDict[str, Bucket] = OrderedDict()
        self.room = Bucket(room_burst, self.clock())
        self.lock = threading.Lock()

    @staticmethod
    def _take(bucket: Bucket, rate: float, burst: float, now: float) -> float:
        bucket.tokens = min(burst, bucket.tokens + max(0.0, now - bucket.at) * rate)
        bucket.at = now
        if bucket.tokens >= 1:
            return 0.0
        return (1 - bucket.tokens) / rate

    def allow(self, key: str) -> float:
        with self.lock:
            now = self.clock()
            bucket = self.buckets.get(key)
            if bucket is None:
                bucket = self.buckets[key] = Bucket(self.burst, now)
                if len(self.buckets) > self.max_tracked:
                    self.buckets.popitem(last=False)
            else:
                self.buckets.move_to_end(key)
            wait = max(self._take(bucket, self.rate, self.burst, now),
                       self._take(self.room, self.room_rate, self.room_burst, now))
            if wait:
                return wait
            bucket.tokens -= 1
            self.room.tokens -= 1
            return 0.0


def retry_after(wait: float) -> str:
    """The Retry-After header's whole seconds (at least 1)."""
    return str(max(1, math.ceil(wait)))
