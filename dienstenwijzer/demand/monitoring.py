"""Monitoring figures of a zorggebied (and all of them side by side) for a chosen period, as
chart series with a one-sentence definition each, and the same figures for the period before."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from babel.dates import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..charts import Series, number_text
from ..i18n import LOCALE
from ..models import DemandSignal, Niche, QueryCount, Region, SearchCount, Service
from ..models.catalogue import STATUS_ACTIVE
from ..models.demand import KIND_FILTERED, KIND_UNMET, NICHE_OPEN, NICHE_STATUSES, SOURCE_SEARCH
from ..search.analysis import words
from .periods import Period
from .population import per_thousand

TOP = 10
SOURCES = ("zoekopdracht", "formulier", "balie")

SEARCHES = (
    "Elke zoekopdracht op de site van dit zorggebied telt één keer, ook als dezelfde persoon "
    "opnieuw zoekt; “zonder resultaat” zijn de zoekopdrachten die geen enkele dienst vonden."
)
QUERIES = (
    "De woorden zoals inwoners ze typten (zonder hoofdletters en accenten), met hoe vaak ze "
    "precies zo werden gezocht."
)
SOURCES_DEF = (
    "Een onvervulde vraag is een zoekopdracht zonder resultaat, een ingevuld formulier "
    "“Ik vind niet wat ik zoek” of een vraag genoteerd aan de balie; zoekopdrachten met "
    "alleen cijfers of losse letters, die enkel door gekozen filters niets vonden of die "
    "dezelfde persoon vaker dan 3 keer per uur deed, tellen niet mee. Daarom zijn er minder "
    "dan zoekopdrachten zonder resultaat."
)
MUNICIPALITIES = (
    "Onvervulde vragen per gemeente die de inwoner opgaf, gedeeld door het aantal "
    "inwoners (Statbel, 1 januari 2024) en maal 1 000."
)
NEEDS = (
    "Open niches (nieuw of onderzocht) op het nichebord, met het aantal vragen in de gekozen "
    "periode."
)
STATUS = "Alle niches op het nichebord, nu, per status; dit cijfer hangt niet af van de periode."
FRESHNESS = (
    "Actieve diensten, nu, naar de datum waarop ze het laatst gecontroleerd zijn; "
    "verborgen diensten ziet een inwoner niet meer."
)
ALL_REGIONS = (
    "Per zorggebied: zoekopdrachten en onvervulde vragen in de gekozen periode, ook per "
    "1 000 inwoners van de gemeenten van het zorggebied; open niches en te controleren "
    "diensten zijn de toestand van nu."
)


def _weekly(session: Session, region: Region, period: Period) -> dict[dt.date, tuple[int, int]]:
    return {
        week: (n, z)
        for week, n, z in session.execute(
            select(SearchCount.week, SearchCount.searches, SearchCount.zero_results).where(
                SearchCount.region_id == region.id,
                SearchCount.week >= period.first_week,
                SearchCount.week <= period.end,
            )
        )
    }


def search_totals(session: Session, region: Region, period: Period) -> tuple[int, int]:
    """(searches, searches that found nothing) in the period."""
    weekly = _weekly(session, region, period).values()
    return sum(n for n, _ in weekly), sum(z for _, z in weekly)


def searches_over_time(session: Session, region: Region, period: Period) -> Series:
    """Per week, or per month (of the week's Monday) for long periods."""
    rows = _weekly(session, region, period)
    buckets: dict[str, list[int]] = {}
    for week in period.week_starts():
        label = (
            format_date(week, "MMMM y", locale=LOCALE)
            if period.monthly
            else f"{format_date(week, 'd MMM', locale=LOCALE)}"
        )
        n, z = rows.get(week, (0, 0))
        total = buckets.setdefault(label, [0, 0])
        total[0] += n
        total[1] += z
    title = "Zoekopdrachten per maand" if period.monthly else "Zoekopdrachten per week"
    first = "Maand" if period.monthly else "Week van"
    return Series(
        title,
        [first, "Zoekopdrachten", "Zonder resultaat"],
        [(label, n, z) for label, (n, z) in buckets.items()],
        definition=SEARCHES,
    )


def zero_result_rate(searches: int, zero: int) -> float | None:
    return None if not searches else round(100.0 * zero / searches, 1)


def top_queries(session: Session, region: Region, period: Period) -> Series:
    total = func.sum(QueryCount.searches)
    rows = session.execute(
        select(QueryCount.query, total)
        .where(
            QueryCount.region_id == region.id,
            QueryCount.week >= period.first_week,
            QueryCount.week <= period.end,
        )
        .group_by(QueryCount.query)
        .order_by(total.desc(), QueryCount.query)
        .limit(TOP)
    ).all()
    return Series(
        "Meest gezocht",
        ["Zoekwoorden", "Aantal"],
        [(q, int(n)) for q, n in rows],
        definition=QUERIES,
    )


def _signals(region: Region, period: Period):
    return (
        DemandSignal.region_id == region.id,
        DemandSignal.created_at >= period.start_moment,
        DemandSignal.created_at < period.end_moment,
    )


def unmet_total(session: Session, region: Region, period: Period) -> int:
    return (
        session.scalar(
            select(func.count(DemandSignal.id)).where(
                *_signals(region, period), DemandSignal.kind == KIND_UNMET
            )
        )
        or 0
    )


def filtered_total(session: Session, region: Region, period: Period) -> int:
    return (
        session.scalar(
            select(func.count(DemandSignal.id)).where(
                *_signals(region, period), DemandSignal.kind == KIND_FILTERED
            )
        )
        or 0
    )


def top_unmet_needs(session: Session, region: Region, period: Period) -> Series:
    niches = list(
        session.scalars(
            select(Niche).where(
                Niche.region_id == region.id,
                Niche.status.in_(NICHE_OPEN),
                Niche.confirmed.is_(True),
            )
        )
    )
    counts = (
        dict(
            session.execute(
                select(DemandSignal.niche_id, func.count(DemandSignal.id))
                .where(*_signals(region, period), DemandSignal.niche_id.in_([n.id for n in niches]))
                .group_by(DemandSignal.niche_id)
            ).all()
        )
        if niches
        else {}
    )
    ranked = sorted(
        ((n.title, counts.get(n.id, 0)) for n in niches if counts.get(n.id)),
        key=lambda row: (-row[1], row[0]),
    )[:TOP]
    return Series(
        "Grootste onvervulde noden (open niches)", ["Niche", "Vragen"], ranked, definition=NEEDS
    )


@dataclass(frozen=True)
class UnmetSearch:
    text: str  # the residents' words as typed, folded
    searches: int
    niche_id: int


def unmet_searches(session: Session, region: Region, period: Period) -> list[UnmetSearch]:
    """The searches that found nothing, in residents' words, for "dit bedoelden ze".

    Only of open niches on the board (confirmed: two clients or staff), so one resident's
    words are never shown on their own; texts were stripped of personal data when recorded.
    """
    rows = session.execute(
        select(DemandSignal.text, DemandSignal.niche_id)
        .join(Niche, DemandSignal.niche_id == Niche.id)
        .where(
            *_signals(region, period),
            DemandSignal.source == SOURCE_SEARCH,
            Niche.status.in_(NICHE_OPEN),
            Niche.confirmed.is_(True),
        )
    ).all()
    counts = Counter((" ".join(words(text)), niche_id) for text, niche_id in rows if words(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))[:TOP]
    return [UnmetSearch(text, n, niche_id) for (text, niche_id), n in ranked]


def niches_by_status(session: Session, region: Region) -> Series:
    counts = dict(
        session.execute(
            select(Niche.status, func.count(Niche.id))
            .where(Niche.region_id == region.id, Niche.confirmed.is_(True))
            .group_by(Niche.status)
        ).all()
    )
    return Series(
        "Niches per status",
        ["Status", "Aantal"],
        [(s, counts.get(s, 0)) for s in NICHE_STATUSES],
        definition=STATUS,
    )


def freshness(
    session: Session, region: Region, stale_before: dt.date, hide_before: dt.date
) -> Series:
    base = select(func.count(Service.id)).where(
        Service.region_id == region.id, Service.status == STATUS_ACTIVE
    )
    hidden = session.scalar(base.where(Service.last_checked < hide_before)) or 0
    stale = (session.scalar(base.where(Service.last_checked < stale_before)) or 0) - hidden
    total = session.scalar(base) or 0
    return Series(
        "Actualiteit van het aanbod",
        ["Toestand", "Diensten"],
        [
            ("Actueel", total - stale - hidden),
            ("Te controleren", stale),
            ("Verborgen voor inwoners", hidden),
        ],
        definition=FRESHNESS,
    )


def signals_by_source(session: Session, region: Region, period: Period) -> Series:
    counts = dict(
        session.execute(
            select(DemandSignal.source, func.count(DemandSignal.id))
            .where(
                *_signals(region, period), DemandSignal.kind == KIND_UNMET
            )  # a filter miss is no need
            .group_by(DemandSignal.source)
        ).all()
    )
    return Series(
        "Onvervulde vragen per bron",
        ["Bron", "Vragen"],
        [(s, counts.get(s, 0)) for s in SOURCES],
        definition=SOURCES_DEF,
    )


def per_municipality(
    session: Session, region: Region, period: Period, population: dict[str, int]
) -> Series:
    counts = dict(
        session.execute(
            select(DemandSignal.municipality_nis, func.count(DemandSignal.id))
            .where(*_signals(region, period), DemandSignal.kind == KIND_UNMET)
            .group_by(DemandSignal.municipality_nis)
        ).all()
    )
    rows = []
    for municipality in sorted(region.municipalities, key=lambda m: m.name):
        n = counts.get(municipality.nis_code, 0)
        people = population.get(municipality.nis_code)
        rows.append((municipality.name, per_thousand(n, people), n, people))
    rows.append(("Gemeente niet opgegeven", None, counts.get(None, 0), None))
    return Series(
        "Onvervulde vragen per 1 000 inwoners",
        ["Gemeente", "Per 1 000 inwoners", "Onvervulde vragen", "Inwoners"],
        rows,
        definition=MUNICIPALITIES,
        plotted=1,
    )


@dataclass(frozen=True)
class Comparison:
    """One figure in the chosen period and in the period of the same length before it."""

    label: str
    now: float | None
    before: float | None
    definition: str

    @property
    def unit(self) -> str:
        return " %" if self.label.startswith("Percentage") else ""

    @property
    def change(self) -> float | None:
        """Percentage change; None when there is nothing to compare with."""
        if self.now is None or not self.before:
            return None
        return round(100.0 * (self.now - self.before) / self.before, 1)


def comparison(
    session: Session, region: Region, period: Period, population: dict[str, int]
) -> list[Comparison]:
    people = sum(population.get(m.nis_code, 0) for m in region.municipalities)
    out: dict[str, list] = {}
    for which in (period, period.previous()):
        searches, zero = search_totals(session, region, which)
        unmet = unmet_total(session, region, which)
        for label, value in (
            ("Zoekopdrachten", searches),
            ("Zoekopdrachten zonder resultaat", zero),
            ("Percentage zonder resultaat", zero_result_rate(searches, zero)),
            ("Onvervulde vragen", unmet),
            ("Onvervulde vragen per 1 000 inwoners", per_thousand(unmet, people)),
            (
                "Zoekopdrachten die enkel door filters niets vonden",
                filtered_total(session, region, which),
            ),
        ):
            out.setdefault(label, []).append(value)
    definitions = {
        "Zoekopdrachten": "Alle zoekopdrachten op de site van dit zorggebied.",
        "Zoekopdrachten zonder resultaat": "Zoekopdrachten die geen enkele dienst vonden.",
        "Percentage zonder resultaat": "Zoekopdrachten zonder resultaat op 100 zoekopdrachten.",
        "Onvervulde vragen": "Vragen uit zoekopdrachten, formulieren en de balie die als nood "
        "genoteerd zijn (zie de definitie bij “per bron”).",
        "Onvervulde vragen per 1 000 inwoners": f"Onvervulde vragen gedeeld door de "
        f"{number_text(people)} inwoners van het "
        "zorggebied, maal 1 000.",
        "Zoekopdrachten die enkel door filters niets vonden": "De woorden vinden wel diensten, maar "
        "niet met de filters die de inwoner koos.",
    }
    return [
        Comparison(label, now, before, definitions[label]) for label, (now, before) in out.items()
    ]


def region_figures(
    session: Session,
    region: Region,
    period: Period,
    population: dict[str, int],
    stale_before: dt.date,
    hide_before: dt.date,
) -> dict[str, Series]:
    return {
        "searches": searches_over_time(session, region, period),
        "queries": top_queries(session, region, period),
        "sources": signals_by_source(session, region, period),
        "municipalities": per_municipality(session, region, period, population),
        "needs": top_unmet_needs(session, region, period),
        "status": niches_by_status(session, region),
        "freshness": freshness(session, region, stale_before, hide_before),
    }


def all_regions(
    session: Session,
    period: Period,
    population: dict[str, int],
    stale_before: dt.date,
    hide_before: dt.date,
) -> Series:
    """The admin's side-by-side view of every zorggebied, comparable per 1 000 inhabitants."""
    rows = []
    for region in session.scalars(select(Region).order_by(Region.name)):
        people = sum(population.get(m.nis_code, 0) for m in region.municipalities)
        searches, zero = search_totals(session, region, period)
        unmet = unmet_total(session, region, period)
        open_niches = (
            session.scalar(
                select(func.count(Niche.id)).where(
                    Niche.region_id == region.id,
                    Niche.status.in_(NICHE_OPEN),
                    Niche.confirmed.is_(True),
                )
            )
            or 0
        )
        fresh = freshness(session, region, stale_before, hide_before)
        rows.append(
            (
                region.short_name,
                per_thousand(unmet, people),
                per_thousand(searches, people),
                searches,
                zero_result_rate(searches, zero),
                unmet,
                open_niches,
                fresh.rows[1][1] + fresh.rows[2][1],
            )
        )
    return Series(
        "Alle zorggebieden",
        [
            "Zorggebied",
            "Onvervulde vragen per 1 000 inwoners",
            "Zoekopdrachten per 1 000 inwoners",
            "Zoekopdrachten",
            "% zonder resultaat",
            "Onvervulde vragen",
            "Open niches",
            "Te controleren diensten",
        ],
        rows,
        definition=ALL_REGIONS,
        plotted=1,
    )
