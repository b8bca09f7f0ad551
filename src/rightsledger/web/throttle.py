"""Sign-in rate limiting: a few failures, then a pause.

Failures are counted per client address and per user name, in memory (one
process). After ``limit`` failures within ``window`` the next attempt is refused
with HTTP 429 until the oldest failure leaves the window; a success clears the
user name's count.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class LoginThrottle:
    """Counts failed sign-ins per key (``ip:...``, ``user:...``)."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, *keys: str) -> int:
        """Seconds until any of ``keys`` may try again (0: now)."""
        now = self._clock()
        longest = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limit:
                    longest = max(longest, times[0] + self.window - now)
        return int(longest) + (1 if longest > 0 else 0)

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times
