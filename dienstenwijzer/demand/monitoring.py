"""Monitoring figures of a zorggebied (and all of them side by side), as chart series."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..charts import Series
from ..models import DemandSignal, Niche, QueryCount, Region, SearchCount, Service
from ..models.catalogue import STATUS_ACTIVE
from ..models.demand import KIND_UNMET, NICHE_OPEN, NICHE_STATUSES, SOURCE_SEARCH
from ..search.analysis import words
from .counting import week_of
from .niches import figures

WEEKS = 12
TOP = 10


def _first_week(today: dt.date) -> dt.date:
    return week_of(today) - dt.timedelta(weeks=WEEKS - 1)


def searches_per_week(session: Session, region: Region, today: dt.date) -> Series:
    start = _first_week(today)
    rows = {
        week: (n, z) for week, n, z in session.execute(
            select(SearchCount.week, SearchCount.searches, SearchCount.zero_results)
            .where(SearchCount.region_id == region.id, SearchCount.week >= start)
        )
    }
    weeks = [start + dt.timedelta(weeks=i) for i in range(WEEKS)]
    return Series(
        "Zoekopdrachten per week",
        ["Week van", "Zoekopdrachten", "Zonder resultaat"],
        [(w.strftime("%d-%m-%Y"), *rows.get(w, (0, 0))) for w in weeks],
    )


def zero_result_rate(series: Series) -> float | None:
    total = sum(r[1] for r in series.rows)
    return None if not total else 100.0 * sum(r[2] for r in series.rows) / total


def top_queries(session: Session, region: Region, today: dt.date) -> Series:
    rows = session.execute(
        select(QueryCount.query, func.sum(QueryCount.searches).label("n"))
        .where(QueryCount.region_id == region.id, QueryCount.week >= _first_week(today))
        .group_by(QueryCount.query).order_by(func.sum(QueryCount.searches).desc(), QueryCount.query).limit(TOP)
    ).all()
    return Series(f"Meest gezocht (laatste {WEEKS} weken)", ["Zoekwoorden", "Aantal"], [(q, int(n)) for q, n in rows])


def top_unmet_needs(session: Session, region: Region) -> Series:
    niches = list(session.scalars(select(Niche).where(
        Niche.region_id == region.id, Niche.status.in_(NICHE_OPEN), Niche.confirmed.is_(True))))
    ranked = sorted(figures(session, niches), key=lambda f: (-f.count, f.niche.title))[:TOP]
    return Series("Grootste onvervulde noden (open niches)", ["Niche", "Vragen"], [(f.niche.title, f.count) for f in ranked])


@dataclass(frozen=True)
class UnmetSearch:
    text: str  # the residents' words as typed, folded
    searches: int
    niche_id: int


def unmet_searches(session: Session, region: Region, today: dt.date) -> list[UnmetSearch]:
    """The searches that found nothing, in residents' words, for "dit bedoelden ze".

    Only of open niches on the board (confirmed: two clients or staff), so one resident's
    words are never shown on their own; texts were stripped of personal data when recorded.
    """
    since = dt.datetime.combine(_first_week(today), dt.time())
    rows = session.execute(
        select(DemandSignal.text, DemandSignal.niche_id).join(Niche, DemandSignal.niche_id == Niche.id)
        .where(DemandSignal.region_id == region.id, DemandSignal.source == SOURCE_SEARCH,
               DemandSignal.created_at >= since, Niche.status.in_(NICHE_OPEN), Niche.confirmed.is_(True))
    ).all()
    counts = Counter((" ".join(words(text)), niche_id) for text, niche_id in rows if words(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))[:TOP]
    return [UnmetSearch(text, n, niche_id) for (text, niche_id), n in ranked]


def niches_by_status(session: Session, region: Region) -> Series:
    counts = dict(session.execute(
        select(Niche.status, func.count(Niche.id))
        .where(Niche.region_id == region.id, Niche.confirmed.is_(True)).group_by(Niche.status)
    ).all())
    return Series("Niches per status", ["Status", "Aantal"], [(s, counts.get(s, 0)) for s in NICHE_STATUSES])


def freshness(session: Session, region: Region, stale_before: dt.date, hide_before: dt.date) -> Series:
    base = select(func.count(Service.id)).where(Service.region_id == region.id, Service.status == STATUS_ACTIVE)
    hidden = session.scalar(base.where(Service.last_checked < hide_before)) or 0
    stale = (session.scalar(base.where(Service.last_checked < stale_before)) or 0) - hidden
    total = session.scalar(base) or 0
    return Series("Actualiteit van het aanbod", ["Toestand", "Diensten"],
                  [("Actueel", total - stale - hidden), ("Te controleren", stale), ("Verborgen voor inwoners", hidden)])


def signals_by_source(session: Session, region: Region, today: dt.date) -> Series:
    since = dt.datetime.combine(_first_week(today), dt.time())
    counts = dict(session.execute(
        select(DemandSignal.source, func.count(DemandSignal.id))
        .where(DemandSignal.region_id == region.id, DemandSignal.created_at >= since,
               DemandSignal.kind == KIND_UNMET)  # a miss caused by filters is no unmet demand
        .group_by(DemandSignal.source)
    ).all())
    return Series(f"Onvervulde vragen per bron (laatste {WEEKS} weken)", ["Bron", "Vragen"],
                  [(s, counts.get(s, 0)) for s in ("zoekopdracht", "formulier", "balie")])


def region_figures(session: Session, region: Region, today: dt.date, stale_before: dt.date, hide_before: dt.date) -> dict[str, Series]:
    weekly = searches_per_week(session, region, today)
    return {
        "searches": weekly,
        "queries": top_queries(session, region, today),
        "needs": top_unmet_needs(session, region),
        "sources": signals_by_source(session, region, today),
        "status": niches_by_status(session, region),
        "freshness": freshness(session, region, stale_before, hide_before),
    }


def all_regions(session: Session, today: dt.date, stale_before: dt.date, hide_before: dt.date) -> Series:
    """The admin's side-by-side view of every zorggebied."""
    rows = []
    for region in session.scalars(select(Region).order_by(Region.name)):
        weekly = searches_per_week(session, region, today)
        searches = sum(r[1] for r in weekly.rows)
        rate = zero_result_rate(weekly)
        open_niches = session.scalar(select(func.count(Niche.id)).where(
            Niche.region_id == region.id, Niche.status.in_(NICHE_OPEN), Niche.confirmed.is_(True))) or 0
        fresh = freshness(session, region, stale_before, hide_before)
        rows.append((region.short_name, searches, round(rate, 1) if rate is not None else 0, open_niches,
                     fresh.rows[1][1] + fresh.rows[2][1]))
    return Series(f"Alle zorggebieden (laatste {WEEKS} weken)",
                  ["Zorggebied", "Zoekopdrachten", "% zonder resultaat", "Open niches", "Te controleren diensten"], rows)
