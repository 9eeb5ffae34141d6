"""Search: the only package that touches Whoosh.

`init_app` wires one SearchEngine per app. The database is the source of truth: every
catalogue change leaves an outbox row, and `sync` applies those rows to the index. Writers
call `sync` right after they commit; in every process that searches, a background follower
thread applies rows written elsewhere every OUTBOX_POLL_SECONDS and compares the index with
the database every INDEX_SELF_CHECK_SECONDS, repairing any drift (selfcheck.py). With
INDEX_FOLLOWER off (tests), the search itself polls the outbox instead.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from flask import Flask, current_app
from sqlalchemy.orm import Session

from ..db import db
from .budget import SearchCache
from .engine import SearchEngine
from .facets import Filters
from .outbox import apply_outbox, has_pending, install_outbox_hook
from .rebuild import catch_up, count_to_index, rebuild
from .region_synonyms import RegionSynonyms
from .results import Hit, SearchRequest, SearchResult
from .selfcheck import RegionDrift, checksum, compare, repair
from .store import IndexStore
from .synonyms import SynonymIndex

log = logging.getLogger(__name__)

__all__ = [
    "Filters",
    "Hit",
    "RegionDrift",
    "SearchRequest",
    "SearchResult",
    "catch_up_after_bulk",
    "check_index",
    "checksum",
    "init_app",
    "rebuild_index",
    "search",
    "sync",
    "synonyms",
    "synonyms_changed",
]


class _Search:
    def __init__(self, app: Flask):
        self.app = app
        self.store = IndexStore(app.config["INDEX_DIR"])
        self.poll_seconds = float(app.config["OUTBOX_POLL_SECONDS"])
        self.check_seconds = float(app.config["INDEX_SELF_CHECK_SECONDS"])
        self.follow = bool(app.config["INDEX_FOLLOWER"])
        self.cache = SearchCache(int(float(app.config["SEARCH_CACHE_MB"]) * 1024 * 1024))
        self.synonyms = RegionSynonyms(lambda: Session(db.engine))
        self.engine = SearchEngine(self.store, self.synonyms.for_region, self.cache)
        self._last_poll = time.monotonic()
        self._follower_pid: int | None = None
        self._follower_lock = threading.Lock()
        self._stop = threading.Event()
        self._follower: threading.Thread | None = None

    def sync(self, wait: float = 0.0) -> int:
        with Session(db.engine) as session:
            return apply_outbox(session, self.store, wait=wait)

    def poll(self) -> None:
        if self.follow:
            self._ensure_follower()
            return
        now = time.monotonic()
        if now - self._last_poll >= self.poll_seconds:
            self._last_poll = now
            with Session(db.engine) as session:
                self.synonyms.refresh(session)
                if has_pending(session, self.store):
                    apply_outbox(session, self.store, wait=0.0)

    def check_and_repair(self, wait: float = 0.0) -> list[RegionDrift]:
        """Compare every region's index with the database and rewrite what drifted."""
        generation = self.store.current()
        if generation is None:
            return []
        with Session(db.engine) as session:
            apply_outbox(session, self.store, wait=wait)  # what is merely pending is no drift
            drifts = compare(session, generation)
            bad = [d for d in drifts if not d.ok]
            if bad:
                log.warning(
                    "index drift: %s",
                    ", ".join(
                        f"{d.slug} -{len(d.missing)} ~{len(d.stale)} +{len(d.extra)}"
                        + (" (built by another version: reindex)" if d.outdated_schema else "")
                        for d in bad
                    ),
                )
                repair(session, self.store, bad, wait=max(wait, 1.0))
        generation.mark_checked()
        return drifts

    # The follower: one daemon thread per process, started after gunicorn forks.
    def _ensure_follower(self) -> None:
        pid = os.getpid()
        if self._follower_pid == pid:
            return
        with self._follower_lock:
            if self._follower_pid != pid:
                self._follower_pid = pid
                self._follower = threading.Thread(
                    target=self._follow, name="index-follower", daemon=True
                )
                self._follower.start()

    def stop_follower(self, wait: float = 30.0) -> None:
        """Stop the follower and wait for the pass it is in, so its connections are returned."""
        self._stop.set()
        if self._follower is not None and self._follower_pid == os.getpid():
            self._follower.join(wait)

    def _follow(self) -> None:
        while not self._stop.is_set():
            try:
                with self.app.app_context():
                    self._follow_once()
            except Exception:  # a database or disk hiccup must not end the thread
                log.exception("index follower")
            self._stop.wait(self.poll_seconds)

    def _follow_once(self) -> None:
        self.synonyms.refresh()  # taught words: one row read per pass
        generation = self.store.current()
        if generation is None or not generation.is_current_format():
            return  # nothing to follow until `reindex` (serve and init do it) builds one
        if generation.seconds_since_check() >= self.check_seconds:
            generation.mark_checked()  # first come: the other workers skip this round
            self.check_and_repair()
            return
        with Session(db.engine) as session:
            if has_pending(session, self.store):
                apply_outbox(session, self.store, wait=0.0)


def init_app(app: Flask) -> None:
    install_outbox_hook()
    app.extensions["search"] = _Search(app)


def _ext() -> _Search:
    return current_app.extensions["search"]


def search(region_slug: str, request: SearchRequest) -> SearchResult:
    ext = _ext()
    ext.poll()
    return ext.engine.search(region_slug, request)


def sync(wait: float = 5.0) -> int:
    """Apply pending catalogue changes to the index; call after a commit that changed them."""
    return _ext().sync(wait)


def catch_up_after_bulk(changed: int, wait: float = 30.0, progress=None) -> None:
    """After a commit that changed `changed` services at once (an import): apply the outbox,
    or rebuild beside the live index when that is cheaper (rebuild.catch_up)."""
    with Session(db.engine) as session:
        catch_up(session, _ext().store, changed, wait, progress)


def rebuild_index(progress=None) -> None:
    with Session(db.engine) as session:
        rebuild(session, _ext().store, progress)


def synonyms(region_slug: str | None = None) -> SynonymIndex:
    """The synonyms a zorggebied's search uses: the standard ones plus the words taught there
    (without a zorggebied: the standard ones and those taught to all)."""
    ext = _ext()
    return ext.synonyms.for_region(region_slug, ext.store.current_path())


def synonyms_changed() -> bool:
    """Take up taught words now, in this process; call after a commit that changed them (the
    followers of the other processes take them up within OUTBOX_POLL_SECONDS)."""
    return _ext().synonyms.refresh()


def follow() -> None:
    """Start this process's follower now (`search` starts it on first use anyway)."""
    _ext()._ensure_follower()


def stop_following() -> None:
    _ext().stop_follower()


def check_index(repair_drift: bool = False) -> list[RegionDrift]:
    """Each region's index against the database (and, if asked, repaired; see selfcheck.py)."""
    ext = _ext()
    if repair_drift:
        return ext.check_and_repair(wait=30.0)
    generation = ext.store.current()
    if generation is None:
        return []
    with Session(db.engine) as session:
        return compare(session, generation)


def index_is_current_format() -> bool:
    generation = _ext().store.current()
    return generation is not None and generation.is_current_format()


def has_index() -> bool:
    return _ext().store.current() is not None


def services_to_index() -> int:
    with Session(db.engine) as session:
        return count_to_index(session)
