"""A year of made-up monitoring history for the demo, so every chart shows something on a fresh
install: weekly search counts, the words searched, and needs residents could not find.

Deterministic: the numbers depend only on the zorggebied, its inhabitants and the day of `init`
(a seeded random generator per zorggebied), so two installs on the same day look alike. All of
it is fictional; the monitoring page says so while the zorggebied carries the demo catalogue.
Helpers never commit: the `init` command does.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Region, SearchCount
from ..search.synonyms import SynonymIndex
from .counting import add_counts, week_of
from .signals import record_request, record_search_miss

WEEKS = 52
SEED = "dienstenwijzer-demo"
SEARCHES_PER_THOUSAND_A_WEEK = 0.6
ZERO_RESULT_SHARE = (0.10, 0.22)
NEEDS_A_WEEK = 3.0  # on average, per zorggebied

# Words residents type, with a weight; the garden words peak in spring and summer.
QUERIES = {
    "poetshulp": 10,
    "strijken": 6,
    "boodschappen": 5,
    "gras maaien": 5,
    "poetsvrouw": 4,
    "kinderopvang": 4,
    "vervoer": 4,
    "klusjesman": 3,
    "ramen wassen": 3,
    "maaltijden aan huis": 3,
    "oppas": 2,
    "haag scheren": 2,
    "tuinonderhoud": 3,
    "kapper aan huis": 1,
    "dienstencheques": 3,
}
GARDEN = {"gras maaien", "haag scheren", "tuinonderhoud"}
# Needs nobody in the demo catalogue meets, in residents' words (made up).
NEEDS = (
    "iemand die de hond uitlaat",
    "hond uitlaten",
    "hulp bij belastingaangifte",
    "hulp bij mijn papieren",
    "fiets herstellen aan huis",
    "fietsherstelling",
    "computerles voor senioren",
    "hulp met smartphone",
    "vervoer naar het ziekenhuis",
    "gezelschap voor mijn moeder",
    "iemand om mee te wandelen",
    "dakgoot kuisen",
    "schoenen herstellen",
    "kleren herstellen",
    "zieke kinderen opvang",
)


def has_history(session: Session, region: Region) -> bool:
    return bool(
        session.scalar(select(func.count(SearchCount.id)).where(SearchCount.region_id == region.id))
    )


def add_demo_history(
    session: Session,
    region: Region,
    synonyms: SynonymIndex,
    today: dt.date,
    inhabitants: dict[str, int],
) -> int:
    """Add a year of weekly figures before `today`'s week; how many needs it recorded."""
    rng = random.Random(f"{SEED}-{region.slug}")
    municipalities = sorted(region.municipalities, key=lambda m: m.nis_code)
    people = [inhabitants.get(m.nis_code, 10_000) for m in municipalities]
    this_week = week_of(today)
    searches: list[tuple[int, dt.date, str, bool]] = []
    needs = 0
    for back in range(WEEKS, 0, -1):
        week = this_week - dt.timedelta(weeks=back)
        summer = 1 + 0.5 * math.sin(2 * math.pi * (week.timetuple().tm_yday - 80) / 365)
        growth = 0.7 + 0.3 * (WEEKS - back) / WEEKS  # the site gets better known over the year
        total = max(
            1,
            round(
                sum(people) / 1000 * SEARCHES_PER_THOUSAND_A_WEEK * growth * rng.uniform(0.85, 1.15)
            ),
        )
        zero_share = rng.uniform(*ZERO_RESULT_SHARE)
        weights = [w * (summer if q in GARDEN else 1) for q, w in QUERIES.items()]
        typed = rng.choices(list(QUERIES), weights=weights, k=total)
        for i, query in enumerate(typed):
            day = week + dt.timedelta(days=rng.randrange(7))
            searches.append((region.id, day, query, i < total * zero_share))
        for _ in range(_poisson(rng, NEEDS_A_WEEK * growth)):
            moment = dt.datetime.combine(week, dt.time(8)) + dt.timedelta(
                minutes=rng.randrange(7 * 12 * 60)
            )
            municipality = (
                rng.choices(municipalities, weights=people)[0] if rng.random() < 0.7 else None
            )
            nis = municipality.nis_code if municipality else None
            text = rng.choice(NEEDS)
            if rng.random() < 0.8:
                signal = record_search_miss(session, region, synonyms, text, {}, nis)
            else:
                signal = record_request(
                    session,
                    region,
                    synonyms,
                    text,
                    municipality_nis=nis,
                    urgency=None,
                    frequency=None,
                    contact=None,
                    consent=False,
                    retention_days=0,
                    today=moment.date(),
                )
            if signal is not None:
                signal.created_at = moment
                needs += 1
    add_counts(session, searches)
    session.flush()
    return needs


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: small means only."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
