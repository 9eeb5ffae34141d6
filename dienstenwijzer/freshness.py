"""When a service counts as due for a check, and when it is hidden from residents."""

from __future__ import annotations

import datetime as dt

from flask import current_app

FRESH, STALE, HIDDEN = "actueel", "te controleren", "verborgen"


def stale_before(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) - dt.timedelta(
        days=int(current_app.config["STALE_AFTER_DAYS"])
    )


def hide_before(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) - dt.timedelta(
        days=int(current_app.config["HIDE_AFTER_DAYS"])
    )


def freshness(last_checked: dt.date, today: dt.date | None = None) -> str:
    if last_checked < hide_before(today):
        return HIDDEN
    if last_checked < stale_before(today):
        return STALE
    return FRESH
