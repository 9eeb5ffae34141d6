"""Search: the only package that touches Whoosh.

`init_app` wires one SearchEngine per app. The database is the source of truth: every
catalogue change leaves an outbox row, and `sync` applies those rows to the index. Writers
call `sync` right after they commit; every worker also looks for rows written elsewhere at
most every OUTBOX_POLL_SECONDS before it searches.
"""
from __future__ import annotations

import time

from flask import Flask, current_app
from sqlalchemy.orm import Session

from ..db import db
from .engine import Hit, SearchEngine, SearchRequest, SearchResult
from .facets import Filters
from .outbox import apply_outbox, has_pending, install_outbox_hook
from .rebuild import count_to_index, rebuild
from .store import IndexStore
from .synonyms import SynonymIndex

__all__ = [
    "Filters",
    "Hit",
    "SearchRequest",
    "SearchResult",
    "init_app",
    "rebuild_index",
    "search",
    "sync",
]


SYNONYM_CACHE_SECONDS = 300


class _Search:
    def __init__(self, app: Flask):
        self.store = IndexStore(app.config["INDEX_DIR"])
        self.poll_seconds = float(app.config["OUTBOX_POLL_SECONDS"])
        self.engine = SearchEngine(self.store, self._load_synonyms)
        self._last_poll = time.monotonic()
        self._synonyms: tuple[float, SynonymIndex] | None = None

    def _load_synonyms(self) -> SynonymIndex:
        with Session(db.engine) as session:
            return SynonymIndex.from_session(session)

    def sync(self, wait: float = 0.0) -> int:
        with Session(db.engine) as session:
            return apply_outbox(session, self.store, wait=wait)

    def poll(self) -> None:
        now = time.monotonic()
        if now - self._last_poll >= self.poll_seconds:
            self._last_poll = now
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


def rebuild_index(progress=None) -> None:
    with Session(db.engine) as session:
        rebuild(session, _ext().store, progress)


def synonyms() -> SynonymIndex:
    """The taxonomy synonyms, as the search uses them (kept per process for a few minutes)."""
    ext = _ext()
    now = time.monotonic()
    if ext._synonyms is None or now - ext._synonyms[0] > SYNONYM_CACHE_SECONDS:
        ext._synonyms = (now, ext._load_synonyms())
    return ext._synonyms[1]


def has_index() -> bool:
    return _ext().store.current() is not None


def services_to_index() -> int:
    with Session(db.engine) as session:
        return count_to_index(session)
