"""Search counts for monitoring, buffered per process so a search never waits on a write.

Each worker adds to in-memory counters and writes them out (UPDATE += n, or INSERT) at most
every FLUSH_SECONDS; at worst a crashed worker loses a few seconds of counts.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import QueryCount, SearchCount

FLUSH_SECONDS = 10.0
MAX_QUERY_LENGTH = 120

_lock = threading.Lock()
# Per database (an app's engine URL), so several apps in one process keep their counts apart.
_searches: Counter = Counter()  # (db, region_id, week) -> searches
_zero: Counter = Counter()  # (db, region_id, week) -> zero-result searches
_queries: Counter = Counter()  # (db, region_id, week, query) -> searches
_last_flush = time.monotonic()


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def count_search(engine, region_id: int, normalised_query: str, found_nothing: bool,
                 today: dt.date | None = None) -> None:
    db_key = str(engine.url)
    week = week_of(today or dt.date.today())
    with _lock:
        _searches[(db_key, region_id, week)] += 1
        if found_nothing:
            _zero[(db_key, region_id, week)] += 1
        if normalised_query:
            _queries[(db_key, region_id, week, normalised_query[:MAX_QUERY_LENGTH])] += 1


def due() -> bool:
    return time.monotonic() - _last_flush >= FLUSH_SECONDS


def discard(engine) -> None:
    """Forget counts buffered for this database, e.g. after it was emptied."""
    db_key = str(engine.url)
    with _lock:
        for counter in (_searches, _zero, _queries):
            for key in [k for k in counter if k[0] == db_key]:
                del counter[key]


def flush(engine) -> None:
    """Write the buffered counts; safe with several workers doing the same."""
    global _last_flush
    db_key = str(engine.url)
    with _lock:
        searches = {k[1:]: _searches.pop(k) for k in [k for k in _searches if k[0] == db_key]}
        zero = {k[1:]: _zero.pop(k) for k in [k for k in _zero if k[0] == db_key]}
        queries = {k[1:]: _queries.pop(k) for k in [k for k in _queries if k[0] == db_key]}
        _last_flush = time.monotonic()
    if not searches and not queries:
        return
    with Session(engine) as session:
        for (region_id, week), n in searches.items():
            _add(session, SearchCount, dict(region_id=region_id, week=week),
                 dict(searches=n, zero_results=zero.get((region_id, week), 0)))
        for (region_id, week, query), n in queries.items():
            _add(session, QueryCount, dict(region_id=region_id, week=week, query=query), dict(searches=n))


def _add(session: Session, model, key: dict, amounts: dict) -> None:
    conditions = [getattr(model, k) == v for k, v in key.items()]
    increments = {k: getattr(model, k) + v for k, v in amounts.items()}
    for _attempt in range(3):
        if session.execute(update(model).where(*conditions).values(**increments)).rowcount:
            session.commit()
            return
        try:
            session.add(model(**key, **amounts))
            session.commit()
            return
        except IntegrityError:  # another worker inserted it first: add to theirs
            session.rollback()
