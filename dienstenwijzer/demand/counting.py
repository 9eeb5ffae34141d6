"""Search counts for monitoring, added in batches by the hand-off writer (never in a request).

One upsert per table and batch: INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n, so
several workers and hosts add to the same weekly rows without a race. Rows are written in key
order so two writers lock them in the same order (no deadlock on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import QueryCount, SearchCount

MAX_QUERY_LENGTH = 120
_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def add_counts(session: Session, searches: Iterable[tuple[int, dt.date, str, bool]]) -> None:
    """Add (region_id, day, query as typed or "", found nothing) searches to the weekly counts."""
    per_week: Counter = Counter()
    zero: Counter = Counter()
    per_query: Counter = Counter()
    for region_id, day, query, found_nothing in searches:
        week = week_of(day)
        per_week[(region_id, week)] += 1
        zero[(region_id, week)] += found_nothing
        if query:
            per_query[(region_id, week, query[:MAX_QUERY_LENGTH])] += 1
    _upsert(
        session,
        SearchCount,
        ["region_id", "week"],
        ["searches", "zero_results"],
        [
            {"region_id": r, "week": w, "searches": n, "zero_results": zero[(r, w)]}
            for (r, w), n in sorted(per_week.items())
        ],
    )
    _upsert(
        session,
        QueryCount,
        ["region_id", "week", "query"],
        ["searches"],
        [
            {"region_id": r, "week": w, "query": q, "searches": n}
            for (r, w, q), n in sorted(per_query.items())
        ],
    )


def _upsert(session: Session, model, keys: list[str], amounts: list[str], rows: list[dict]) -> None:
    if not rows:
        return
    table = model.__table__
    insert = _INSERT[session.get_bind().dialect.name](table)
    statement = insert.on_conflict_do_update(
        index_elements=keys, set_={a: table.c[a] + insert.excluded[a] for a in amounts}
    )
    session.execute(statement, rows)
