"""Python's cyclic garbage collector, paused while a diary import runs.

An import of 150,000 rows makes millions of objects; each time enough of them pile up,
the collector walks them all while holding the GIL, and every other request, the
health check included, waits that long (seconds, in all). Reference counting frees the
import's objects anyway; the cycles it leaves are collected once the import is over.

The collector belongs to the whole process, so two imports at once share one pause: it
ends when the last of them ends, and a collector that was off before stays off.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


class CollectorPause:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._was_enabled = False

    @contextlib.contextmanager
    def during(self) -> Iterator[None]:
        with self._lock:
            if self._running == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0 and self._was_enabled:
                    gc.enable()


_process_collector = CollectorPause()


def collector_paused() -> contextlib.AbstractContextManager[None]:
    """For the length of an import: ``with collector_paused(): ...``."""
    return _process_collector.during()
