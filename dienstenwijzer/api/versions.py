"""The version of the data a scope publishes: a strong validator, read without writing.

A fingerprint of the services and providers a zorggebied (or Flanders) publishes: their number
and the sums of their `updated_at` (whole seconds and microseconds apart, so the sums stay exact
integers on SQLite and PostgreSQL at any catalogue size). Every edit moves a row's `updated_at`
forward, so it changes a sum even when it lands in the same second as the previous one, and even
when an older transaction commits after a newer one (where a max() would not move); an insert
or a delete changes the count. It serves as the ETag of the bulk downloads and names their
ready-made files.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import BigInteger, Select, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import GenericFunction

from ..models import Category, Provider, Service

# Raise it when the shape of a published file changes: every ready-made file is then rebuilt.
FORMAT = "hsds-3.1-tabular-1"


class epoch_seconds(GenericFunction):
    """Whole seconds since 1970 of a naive UTC timestamp."""

    type = BigInteger()
    inherit_cache = True


class micro_seconds(GenericFunction):
    """The microseconds within its second of a timestamp (0–999 999)."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_seconds(element, compiler, **kw):
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_seconds_pg(element, compiler, **kw):
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(EXTRACT(EPOCH FROM date_trunc('second', {moment})) AS BIGINT)"


@compiles(micro_seconds)
def _micro_seconds(element, compiler, **kw):
    # SQLAlchemy stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff'.
    return f"CAST(substr({compiler.process(element.clauses, **kw)}, 21, 6) AS INTEGER)"


@compiles(micro_seconds, "postgresql")
def _micro_seconds_pg(element, compiler, **kw):
    moment = compiler.process(element.clauses, **kw)
    return f"MOD(CAST(EXTRACT(MICROSECONDS FROM {moment}) AS BIGINT), 1000000)"


def _fingerprint(query: Select, updated_at) -> Select:
    return query.order_by(None).with_only_columns(
        func.count(),
        func.coalesce(func.sum(epoch_seconds(updated_at)), 0),
        func.coalesce(func.sum(micro_seconds(updated_at)), 0),
    )


def data_version(session: Session, services: Select, organizations: Select) -> str:
    """A short hex digest that changes with every change of these services or providers."""
    parts = (
        FORMAT,
        tuple(session.execute(_fingerprint(services, Service.updated_at)).one()),
        tuple(session.execute(_fingerprint(organizations, Provider.updated_at)).one()),
        session.scalar(select(func.count(Category.id))),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def settled(last_change: dt.datetime, now: dt.datetime) -> bool:
    """Whether a Last-Modified of `last_change` is safe to send at `now` (both naive UTC).

    HTTP dates count whole seconds: if the data last changed in the current second, another
    change in this same second would carry the same Last-Modified, and a client asking
    If-Modified-Since would wrongly get a 304. Such an answer carries only its ETag."""
    return last_change.replace(microsecond=0) < now.replace(microsecond=0)
