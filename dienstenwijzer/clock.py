"""The one "now" the app stores: UTC without a time zone, as every DateTime column holds it."""

import datetime as dt


def utcnow() -> dt.datetime:
    """The current moment in naive UTC (SQLite and PostgreSQL columns are without time zone)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
