"""The hand-off between residents' requests and the database (DESIGN.md invariant 7).

A resident's request never writes: what it must record (a search count, a demand signal) is
appended to a bounded in-memory queue and the request goes on. A daemon thread per process,
started on first use in that process (so after gunicorn forks its workers), drains the queue
every DEMAND_HANDOFF_SECONDS and writes each batch in ONE transaction with its own session.

- A full queue drops the note and counts the drop: a request never blocks on the queue.
- A batch that finds the database locked (a long import) is put back for the next drain for as
  long as the queue has room; one that fails otherwise is tried at most MAX_ATTEMPTS times.
- At interpreter exit (a graceful restart: gunicorn's worker exits through sys.exit) the queue
  is drained once more, so nothing is lost; a kill -9 loses what was queued since the last
  drain, i.e. at most about DEMAND_HANDOFF_SECONDS of searches.
- Tests call `drain_now()` to see the writes deterministically.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ..db import db, is_lock_timeout

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
TICK_SECONDS = 0.1  # how often the writer thread looks at the clock
DEFAULT_SECONDS = 1.0
DEFAULT_MAX_ITEMS = 10_000

Writer = Callable[[Session, list[Any]], None]


@dataclass
class _Item:
    app: Flask
    note: Any
    attempts: int = 0


class HandOff:
    """A bounded queue of notes per process, written in batches by a background thread."""

    def __init__(
        self, write: Writer, max_items: int = DEFAULT_MAX_ITEMS, seconds: float = DEFAULT_SECONDS
    ):
        self.pid = os.getpid()
        self.max_items = max_items
        self.seconds = seconds
        self.written = 0
        self.dropped = 0
        self.lost = 0  # batches given up after MAX_ATTEMPTS
        self._write = write
        self._items: deque[_Item] = deque()
        self._lock = threading.Lock()  # guards the queue and the counters; held only briefly
        self._drain_lock = threading.Lock()  # one drain at a time (thread, tests, exit)
        self._last_drain = time.monotonic()
        self._thread: threading.Thread | None = None

    def put(self, app: Flask, note: Any) -> bool:
        """Queue a note for the background writer; False (and counted) when the queue is full."""
        self.seconds = _seconds(app)  # the app's setting holds from its first search on
        with self._lock:
            if len(self._items) >= self.max_items:
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    log.warning(
                        "hand-off queue full: %d notes dropped in pid %d", self.dropped, self.pid
                    )
                return False
            self._items.append(_Item(app, note))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="dienstenwijzer-handoff", daemon=True
                )
                self._thread.start()
        return True

    def pending(self) -> int:
        with self._lock:
            return len(self._items)

    def drain_now(self) -> int:
        """Write everything queued so far, one transaction per app; the number of notes written."""
        with self._drain_lock:
            self._last_drain = time.monotonic()
            with self._lock:
                items = list(self._items)
                self._items.clear()
            by_app: dict[Flask, list[_Item]] = defaultdict(list)
            for item in items:
                by_app[item.app].append(item)
            done = 0
            for app, batch in by_app.items():
                try:
                    with app.app_context(), Session(db.engine) as session, session.begin():
                        self._write(session, [item.note for item in batch])
                    done += len(batch)
                except (
                    Exception
                ) as exc:  # the request is long gone: log, and retry with the next drain
                    # A long import holding the lock is waited for as long as the queue has room.
                    busy = isinstance(exc, OperationalError) and is_lock_timeout(exc)
                    if busy:
                        log.warning(
                            "hand-off: database busy, %d notes wait for the next drain", len(batch)
                        )
                    else:
                        log.exception("hand-off: writing %d notes failed", len(batch))
                    self._retry(batch, count_attempt=not busy)
            with self._lock:
                self.written += done
            return done

    def discard(self, app: Flask) -> None:
        """Forget what is queued for this app (its database is about to go, e.g. in tests)."""
        with self._drain_lock, self._lock:
            kept = [item for item in self._items if item.app is not app]
            self._items.clear()
            self._items.extend(kept)

    def _retry(self, batch: list[_Item], count_attempt: bool = True) -> None:
        step = 1 if count_attempt else 0
        again = [item for item in batch if item.attempts + step < MAX_ATTEMPTS]
        with self._lock:
            self.lost += len(batch) - len(again)
            room = max(0, self.max_items - len(self._items))
            self.dropped += max(0, len(again) - room)
            for item in reversed(again[:room]):
                item.attempts += step
                self._items.appendleft(item)

    def _run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            if time.monotonic() - self._last_drain < self.seconds:
                continue
            try:
                self.drain_now()
            except Exception:  # never let the writer thread die
                log.exception("hand-off: drain failed")


_current: HandOff | None = None
_current_lock = threading.Lock()


def handoff(write: Writer, app: Flask) -> HandOff:
    """This process's hand-off; a forked worker gets a fresh one (the parent's thread did not fork)."""
    global _current
    if _current is None or _current.pid != os.getpid():
        with _current_lock:
            if _current is None or _current.pid != os.getpid():
                _current = HandOff(
                    write,
                    max_items=int(app.config.get("DEMAND_HANDOFF_MAX_ITEMS", DEFAULT_MAX_ITEMS)),
                    seconds=_seconds(app),
                )
    return _current


def _seconds(app: Flask) -> float:
    return float(app.config.get("DEMAND_HANDOFF_SECONDS", DEFAULT_SECONDS))


def current() -> HandOff | None:
    return _current if _current is not None and _current.pid == os.getpid() else None


def drain_now() -> int:
    """Write what this process queued so far (tests, and exit)."""
    queue = current()
    return queue.drain_now() if queue is not None else 0


def discard(app: Flask) -> None:
    queue = current()
    if queue is not None:
        queue.discard(app)


@atexit.register
def _drain_at_exit() -> None:
    # A graceful stop (gunicorn worker exit, Ctrl-C of `serve`) keeps what was queued.
    try:
        drain_now()
    except Exception:
        log.exception("hand-off: final drain failed")
