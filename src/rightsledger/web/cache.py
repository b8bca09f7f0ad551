"""Derived pages cached until the ledger's data changes.

A scorecard over a million observations takes seconds to build and changes only
when the data does. Every change of data moves the ledger's data version (see
:meth:`Logins.version`; sign-ins, refusals and reads do not), and an entry is
reused while the version is the same.

When the version moved, the entry is rebuilt once, in a background thread, while
requests wait for it at most ``fresh_wait`` seconds and then get the previous
entry (marked ``stale`` by :meth:`PageCache.get_marked`): a large ledger stays
responsive while it rebuilds, and a small one answers with fresh data at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("rightsledger.web")


@dataclass
class _Entry:
    version: int
    value: Any


class _Build:
    """One build of one key, run in its own thread; ``done`` is set at the end."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class PageCache:
    """A small LRU of built page contexts keyed by (key, data version)."""

    def __init__(
        self,
        version: Callable[[], int],
        size: int = 64,
        recheck: float = 0.0,
        fresh_wait: float = 2.0,
    ) -> None:
        """
        Args:
            version: Returns the ledger's current data version (one cheap query).
            size: How many contexts to keep.
            recheck: Seconds during which a version read is reused (default 0: one
                read of one meta row per request, so a write by another process
                shows at the next request).
            fresh_wait: How long a request waits for a rebuild before it gets the
                previous entry.
        """
        self._version = version
        self._size = size
        self._recheck = recheck
        self._fresh_wait = fresh_wait
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._builds: dict[Hashable, _Build] = {}
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
        """The value of ``key`` at the current version (see the module's notes
        for what happens while it is rebuilt)."""
        return self.get_marked(key, build)[0]

    def get_marked(self, key: Hashable, build: Callable[[], Any]) -> tuple[Any, bool]:
        """The value of ``key`` and whether it is stale (an older version's,
        served while the current one is being built)."""
        version = self.current_version()
        with self._guard:
            entry = self._entries.get(key)
            if entry is not None and entry.version == version:
                self._entries.move_to_end(key)
                return entry.value, False
            running = self._builds.get(key)
            if running is None or running.version != version:
                running = self._start(key, version, build)
        wait = None if entry is None else self._fresh_wait
        if running.done.wait(wait):
            if running.error is not None:
                raise running.error
            return running.value, False
        assert entry is not None  # noqa: S101 - wait=None only returns when done
        return entry.value, True

    def _start(self, key: Hashable, version: int, build: Callable[[], Any]) -> _Build:
        """Start building ``key`` at ``version`` (the caller holds the guard)."""
        job = _Build(version)
        self._builds[key] = job

        def run() -> None:
            try:
                job.value = build()
                with self._guard:
                    self._entries[key] = _Entry(version, job.value)
                    self._entries.move_to_end(key)
                    while len(self._entries) > self._size:
                        self._entries.popitem(last=False)
            except BaseException as e:  # noqa: BLE001 - handed to the waiters
                job.error = e
                log.error("building %r failed: %s", key, type(e).__name__)
            finally:
                with self._guard:
                    if self._builds.get(key) is job:
                        del self._builds[key]
                job.done.set()

        threading.Thread(target=run, name=f"rl-cache-{key}", daemon=True).start()
        return job

    def forget(self) -> None:
        """Re-read the version at the next request (after a write made by this
        process), so that the write shows at once."""
        with self._guard:
            self._seen = (-1e9, -1)
