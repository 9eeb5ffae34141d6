"""Follow-up figures per zorggebied: waiting referrals, candidates per vacancy, time to fill,
outcomes per instrument. Every figure is a charts.Series (chart, table and CSV)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..charts import Series
from ..clock import utcnow
from ..models import Referral, Region, Vacancy
from ..models.jobs import (
    DROPPED_OUT,
    FINAL_STATUSES,
    HIRED,
    INSTRUMENTS,
    NO_RESPONSE,
    NOT_SELECTED,
    REFERRAL_STATUSES,
    VACANCY_FILLED,
    VACANCY_OPEN,
)
from ..scope import referrals_of, vacancies_of

FIGURES = ("wachtend", "kandidaten", "invultijd", "uitkomsten")


def waiting_referrals(
    session: Session, region: Region, days: int, now: dt.datetime | None = None
) -> list[Referral]:
    """Open referrals whose last step is older than `days`, longest waiting first."""
    now = now or utcnow()
    return list(
        session.scalars(
            referrals_of(region)
            .where(
                Referral.status.not_in(FINAL_STATUSES),
                Referral.status_changed_at < now - dt.timedelta(days=days),
            )
            .order_by(Referral.status_changed_at)
        )
    )


def waiting_series(session: Session, region: Region, days: int) -> Series:
    counts = Counter(r.status for r in waiting_referrals(session, region, days))
    rows = [(REFERRAL_STATUSES[s], counts[s]) for s in REFERRAL_STATUSES if s not in FINAL_STATUSES]
    since = ngettext("%(num)d dag", "%(num)d dagen", days)
    return Series(
        f"Open doorverwijzingen zonder nieuwe stap sinds meer dan {since}, per stap",
        ["Stap", "Aantal"],
        rows,
    )


def candidates_series(session: Session, region: Region, limit: int = 25) -> Series:
    """Candidates referred per open vacancy (the 'toeleidingsinfarct': too few per vacancy)."""
    counted = (
        select(Vacancy.id, func.count(Referral.id))
        .outerjoin(Referral, Referral.vacancy_id == Vacancy.id)
        .where(Vacancy.region_id == region.id, Vacancy.status == VACANCY_OPEN)
        .group_by(Vacancy.id)
    )
    counts = dict(session.execute(counted).all())
    vacancies = session.scalars(
        vacancies_of(region)
        .where(Vacancy.status == VACANCY_OPEN)
        .order_by(Vacancy.created_at, Vacancy.id)
        .limit(limit)
    ).all()
    rows = [(f"{v.title} ({v.provider.name})", counts.get(v.id, 0), v.places) for v in vacancies]
    return Series("Kandidaten per open vacature", ["Vacature", "Kandidaten", "Plaatsen"], rows)


def time_to_fill_series(session: Session, region: Region) -> Series:
    days: dict[str, list[float]] = defaultdict(list)
    for v in session.scalars(
        vacancies_of(region).where(Vacancy.status == VACANCY_FILLED, Vacancy.filled_at.is_not(None))
    ):
        days[v.instrument].append(max(0.0, (v.filled_at - v.created_at).total_seconds() / 86400))
    rows = [
        (INSTRUMENTS[i], round(sum(days[i]) / len(days[i]), 1), len(days[i]))
        for i in INSTRUMENTS
        if days.get(i)
    ]
    return Series(
        "Tijd tot een vacature ingevuld is, per instrument",
        ["Instrument", "Gemiddeld aantal dagen", "Ingevulde vacatures"],
        rows,
    )


OUTCOME_COLUMNS = [
    (HIRED, "Aangeworven"),
    (NOT_SELECTED, "Niet weerhouden"),
    (DROPPED_OUT, "Afgehaakt"),
    (NO_RESPONSE, "Geen reactie"),
]


def outcomes_series(session: Session, region: Region) -> Series:
    """Outcomes per instrument; counts survive the purge of referral details."""
    grid: dict[str, Counter] = defaultdict(Counter)
    rows_q = (
        select(Referral.instrument, Referral.status, func.count())
        .where(Referral.region_id == region.id)
        .group_by(Referral.instrument, Referral.status)
    )
    for instrument, status, count in session.execute(rows_q):
        grid[instrument][status if status in FINAL_STATUSES else "open"] += count
    rows = [
        (INSTRUMENTS[i], *(grid[i][s] for s, _ in OUTCOME_COLUMNS), grid[i]["open"])
        for i in INSTRUMENTS
        if grid.get(i)
    ]
    return Series(
        "Uitkomsten van doorverwijzingen per instrument",
        ["Instrument", *(label for _, label in OUTCOME_COLUMNS), "Nog lopend"],
        rows,
    )


def series(session: Session, region: Region, name: str, waiting_days: int) -> Series:
    return {
        "wachtend": lambda: waiting_series(session, region, waiting_days),
        "kandidaten": lambda: candidates_series(session, region),
        "invultijd": lambda: time_to_fill_series(session, region),
        "uitkomsten": lambda: outcomes_series(session, region),
    }[name]()
