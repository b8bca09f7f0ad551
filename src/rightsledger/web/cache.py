"""Derived pages cached until the ledger changes.

A scorecard over a million observations takes seconds to build and changes only
when the ledger does. Every write appends to the custody log, so the log's length
is the ledger's version: an entry is reused while the version is the same, and
built anew (once, even under concurrent requests) when it moved.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class PageCache:
    """A small LRU of built page contexts keyed by (key, ledger version)."""

    def __init__(
        self,
        version: Callable[[], int],
        size: int = 64,
        recheck: float = 0.5,
    ) -> None:
        """
        Args:
            version: Returns the ledger's current version (one cheap query).
            size: How many contexts to keep.
            recheck: Seconds during which a version read is reused, so that a burst
                of requests costs one version query, not one each.
        """
        self._version = version
        self._size = size
        self._recheck = recheck
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self._seen: tuple[float, int] = (-1e9, -1)

    def current_version(self) -> int:
        now = time.monotonic()
        at, version = self._seen
        if now - at > self._recheck:
            version = self._version()
            self._seen = (now, version)
        return version

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The cached value of ``key`` at the current version, built if needed."""
        version = self.current_version()
        hit = self._lookup(key, version)
        if hit is not None:
            return hit[1]
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            hit = self._lookup(key, version)
            if hit is not None:
                return hit[1]
            value = build()
            with self._guard:
                self._entries[key] = (version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
            return value

    def forget(self) -> None:
        """Drop everything (after a write made by this process)."""
        with self._guard:
            self._entries.clear()
            self._seen = (-1e9, -1)

    def _lookup(self, key: Hashable, version: int) -> tuple[int, Any] | None:
        with self._guard:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == version:
                self._entries.move_to_end(key)
                return hit
        return None
