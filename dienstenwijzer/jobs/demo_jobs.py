"""Made-up vacancies and a year of referrals for the demo, so the werkwinkel's vacancy list,
referral list and follow-up page show something on a fresh install.

Deterministic: the data depend only on the zorggebied, its demo providers, the rule sets in
force and the day of `init` (a seeded random generator per zorggebied), like
demand/demo_history.py does for searches. Everything happens before midnight (UTC) of that day,
in the order it would have happened: a vacancy opens, job seekers are referred to it, each step
is recorded when it is reported (never back-filled), a last hire fills the vacancy, an old
vacancy nobody filled is closed. It goes through the same service functions the werkwinkel's
pages use; only the moments are set to the past. All of it is fictional: titles end in
"(demo)", job seekers are "Demo-werkzoekende 12". Helpers never commit: the `init` command does.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import Provider, Referral, Region, Vacancy, VacancyChange
from ..models.catalogue import STATUS_ACTIVE
from ..models.jobs import (
    CONTACT,
    DROPPED_OUT,
    FINAL_STATUSES,
    HIRED,
    INTERVIEW,
    NO_RESPONSE,
    NOT_SELECTED,
    VACANCY_CLOSED,
    VACANCY_OPEN,
)
from ..scope import vacancies_of
from . import referrals, vacancies
from .eligibility_rules import RuleRef, in_force

SEED = "dienstenwijzer-demo-werkwinkel"
DAYS = 365
VACANCIES = (10, 14)  # per zorggebied
CONSULENT = (None, "Demo-consulent (verzonnen)")
PROVIDER = (None, f"Demo-{referrals.PROVIDER_ACTOR}")
DEMO_MARK = " (demo)"
SEEKER = "Demo-werkzoekende {}"

# Job titles per instrument (made up); an instrument not listed gets the general ones.
TITLES: dict[str, tuple[str, ...]] = {
    "lokale-diensteneconomie": (
        "Medewerker buurtrestaurant",
        "Medewerker fietsherstelling",
        "Klusjesman of klusjesvrouw aan huis",
        "Medewerker kinderopvang",
    ),
    "invoegeconomie": ("Poetshulp", "Medewerker groenonderhoud", "Magazijnmedewerker"),
    "sociale-werkplaats": ("Medewerker verpakking", "Medewerker groendienst", "Medewerker montage"),
    "beschutte-werkplaats": ("Medewerker atelier", "Medewerker sorteren en verpakken"),
    "wijk-werken": ("Wijk-werker in de schooltuin", "Wijk-werker in de kringwinkel"),
    "dienstencheques": ("Huishoudhulp met dienstencheques", "Medewerker strijkatelier"),
    "regulier": ("Chauffeur maaltijden aan huis", "Onthaalmedewerker"),
}
GENERAL_TITLES = ("Medewerker logistiek", "Medewerker onderhoud")
HOURS = (19, 24, 30, 38)


@dataclass(order=True)
class _Event:
    """Something that happens at `at`; `order` keeps events at the same moment in plan order."""

    at: dt.datetime
    order: int
    kind: str = field(compare=False)  # "vacancy" | "refer" | "step" | "close"
    key: int = field(compare=False)  # vacancy number, or referral number for "step"
    detail: dict = field(compare=False, default_factory=dict)


def demo_regions_without_jobs(session: Session) -> list[Region]:
    """Zorggebieden with the demo catalogue and no vacancy yet: a second `init` adds nothing."""
    return [
        region
        for region in session.scalars(
            select(Region).where(Region.demo_catalogue.is_(True)).order_by(Region.slug)
        )
        if session.scalar(vacancies_of(region).limit(1)) is None
    ]


def add_demo_jobs(session: Session, now: dt.datetime | None = None) -> int:
    """Demo vacancies and referrals for every demo zorggebied that has none; how many regions."""
    today = (now or utcnow()).date()
    regions = demo_regions_without_jobs(session)
    added = 0
    for region in regions:
        added += bool(add_region_demo_jobs(session, region, today))
    return added


def add_region_demo_jobs(session: Session, region: Region, today: dt.date) -> int:
    """A year of vacancies and referrals before `today` (UTC) for one zorggebied; how many
    vacancies it made (0 when there are no active providers or no rules in force)."""
    rng = random.Random(f"{SEED}-{region.slug}")
    providers = list(
        session.scalars(
            select(Provider)
            .where(Provider.region_id == region.id, Provider.status == STATUS_ACTIVE)
            .order_by(Provider.name, Provider.id)
        )
    )
    rules = in_force(session, today).by_instrument
    if not providers or not rules or not region.municipalities:
        return 0
    places = sorted(region.municipalities, key=lambda m: m.nis_code)
    end = dt.datetime.combine(today, dt.time(0))
    events = _plan(rng, end, sorted(rules))
    made: dict[int, Vacancy] = {}
    sent: dict[int, Referral] = {}
    for event in sorted(events):
        if event.kind == "vacancy":
            instrument = event.detail["instrument"]
            made[event.key] = _open_vacancy(
                session,
                region,
                rng,
                event.at,
                instrument,
                rng.choice(providers),
                places,
                event.detail.get("places"),
            )
        elif event.kind == "refer":
            vacancy = made[event.key]
            if vacancy.status != VACANCY_OPEN:
                continue  # filled or closed meanwhile: nobody is referred to it any more
            rule_set, instrument_rules = rules[vacancy.instrument]
            rule = rng.choice(instrument_rules.rules)
            sent[event.detail["referral"]] = _refer(
                session,
                region,
                vacancy,
                event.at,
                SEEKER.format(event.detail["seeker"]),
                RuleRef(rule_set.key, rule_set.version, rule.id),
            )
        elif event.kind == "step":
            referral = sent.get(event.key)
            if referral is None or referral.status in FINAL_STATUSES:
                continue
            status = event.detail["status"]
            if status == HIRED and referral.vacancy.status != VACANCY_OPEN:
                status = NOT_SELECTED  # the places went to others
            actor = PROVIDER if event.detail["by_provider"] else CONSULENT
            referrals.advance(session, referral, status, actor, event.at, may_skip=True)
            _date_changes(session, referral.vacancy, event.at, end)
        elif event.kind == "close":
            vacancy = made[event.key]
            if vacancy.status == VACANCY_OPEN:
                _close(session, region, vacancy, event.at, end)
    for vacancy in made.values():
        vacancy.updated_at = max(
            [vacancy.created_at, *(r.status_changed_at for r in vacancy.referrals)]
        )
    session.flush()
    return len(made)


def _plan(rng: random.Random, end: dt.datetime, instruments: list[str]) -> list[_Event]:
    """What happens when, in made-up but plausible rhythms; applied in time order."""
    events: list[_Event] = []
    count = rng.randint(*VACANCIES)
    referral_number = 0
    seekers = 0

    def add(at: dt.datetime, kind: str, key: int, **detail) -> None:
        if at < end:
            events.append(_Event(at, len(events), kind, key, detail))

    def refer(at: dt.datetime, number: int) -> int:
        nonlocal referral_number, seekers
        referral_number += 1
        # Now and then the same person is referred again, to another vacancy.
        if seekers and rng.random() < 0.2:
            seeker = rng.randint(1, seekers)
        else:
            seekers += 1
            seeker = seekers
        add(at, "refer", number, referral=referral_number, seeker=seeker)
        return referral_number

    for number in range(count - 1):
        # Spread over the year, oldest first.
        days_ago = (DAYS - 45) * (count - 1 - number - rng.random() * 0.8) / (count - 1) + 45
        opened = _working_hours(rng, end - dt.timedelta(days=days_ago))
        add(opened, "vacancy", number, instrument=instruments[number % len(instruments)])
        if rng.random() < 0.5:  # unfilled after three to five months: closed
            add(opened + dt.timedelta(days=rng.randint(90, 150)), "close", number)
        moment = opened
        for _ in range(rng.randint(1, 5)):
            moment = _working_hours(rng, moment + dt.timedelta(days=rng.randint(1, 14)))
            referral = refer(moment, number)
            for at, status, by_provider in _steps(rng, moment):
                add(at, "step", referral, status=status, by_provider=by_provider)
    # The newest vacancy, a month old, shows each part of the list: an outcome of last week,
    # someone waiting after an interview, someone referred a few days ago.
    number = count - 1
    instrument = instruments[number % len(instruments)]
    add(_ago(rng, end, 40), "vacancy", number, instrument=instrument, places=3)
    ended = refer(_ago(rng, end, 33), number)
    for days, status in ((28, CONTACT), (20, INTERVIEW), (8, rng.choice((HIRED, NOT_SELECTED)))):
        add(_ago(rng, end, days), "step", ended, status=status, by_provider=status != CONTACT)
    waiting = refer(_ago(rng, end, 30), number)  # no news for longer than two weeks
    for days, status in ((24, CONTACT), (17, INTERVIEW)):
        add(_ago(rng, end, days), "step", waiting, status=status, by_provider=False)
    refer(_ago(rng, end, 4), number)
    return events


def _steps(rng: random.Random, referred: dt.datetime) -> list[tuple[dt.datetime, str, bool]]:
    """The later steps of one referral: (when, status, reported by the provider's link)."""
    out = []
    at = referred
    for status, chance, stop in (
        (CONTACT, 0.85, (NO_RESPONSE, DROPPED_OUT)),
        (INTERVIEW, 0.75, (NOT_SELECTED, DROPPED_OUT)),
    ):
        at = _working_hours(rng, at + dt.timedelta(days=rng.randint(2, 12)))
        if rng.random() >= chance:
            out.append((at, rng.choice(stop), rng.random() < 0.5))
            return out
        out.append((at, status, False))
    at = _working_hours(rng, at + dt.timedelta(days=rng.randint(2, 10)))
    outcome = rng.choices((HIRED, NOT_SELECTED, DROPPED_OUT), weights=(5, 4, 1))[0]
    out.append((at, outcome, rng.random() < 0.6))
    return out


def _ago(rng: random.Random, end: dt.datetime, days: int) -> dt.datetime:
    return _working_hours(rng, end - dt.timedelta(days=days))


def _working_hours(rng: random.Random, day: dt.datetime) -> dt.datetime:
    """A moment between 8:00 and 17:00 on that day (UTC, close enough for a demo)."""
    start = dt.datetime.combine(day.date(), dt.time(8))
    return start + dt.timedelta(minutes=rng.randrange(9 * 60))


def _open_vacancy(
    session: Session,
    region: Region,
    rng: random.Random,
    at: dt.datetime,
    instrument: str,
    provider: Provider,
    places: list,
    jobs: int | None,
) -> Vacancy:
    title = rng.choice(TITLES.get(instrument, GENERAL_TITLES))
    hours = rng.choice(HOURS)
    data = vacancies.VacancyData(
        provider=provider,
        title=title + DEMO_MARK,
        description=(
            f"Verzonnen vacature voor de demonstratie. {title} bij {provider.name}, "
            f"{hours} uur per week. U werkt in een team, met begeleiding op de werkvloer."
        ),
        instrument=instrument,
        hours_per_week=hours,
        municipality_nis=rng.choice(places).nis_code,
        start_date=(at + dt.timedelta(days=rng.randint(14, 45))).date(),
        places=jobs or rng.choices((1, 2, 3), weights=(6, 3, 1))[0],
        status=VACANCY_OPEN,
    )
    vacancy = vacancies.save_vacancy(session, region, None, data, CONSULENT)
    vacancy.created_at = at
    _date_changes(session, vacancy, at, at)
    return vacancy


def _refer(
    session: Session,
    region: Region,
    vacancy: Vacancy,
    at: dt.datetime,
    reference: str,
    rule: RuleRef,
) -> Referral:
    referral = referrals.create_referral(session, region, vacancy, reference, rule, CONSULENT)
    referral.created_at = referral.status_changed_at = at
    referral.steps[0].set_at = at
    session.flush()
    return referral


def _close(
    session: Session, region: Region, vacancy: Vacancy, at: dt.datetime, end: dt.datetime
) -> None:
    data = vacancies.VacancyData(
        provider=vacancy.provider,
        title=vacancy.title,
        description=vacancy.description,
        instrument=vacancy.instrument,
        hours_per_week=vacancy.hours_per_week,
        municipality_nis=vacancy.municipality_nis,
        start_date=vacancy.start_date,
        places=vacancy.places,
        status=VACANCY_CLOSED,
    )
    vacancies.save_vacancy(session, region, vacancy, data, CONSULENT)
    _date_changes(session, vacancy, at, end)


def _date_changes(session: Session, vacancy: Vacancy, at: dt.datetime, since: dt.datetime) -> None:
    """The vacancy's audit rows written just now (on or after `since`, the install day) get the
    moment they happened in the demo; so does the filled date."""
    session.flush()
    session.execute(
        update(VacancyChange)
        .where(VacancyChange.vacancy_id == vacancy.id, VacancyChange.created_at >= since)
        .values(created_at=at)
        .execution_options(synchronize_session=False)
    )
    if vacancy.filled_at is not None and vacancy.filled_at >= since:
        vacancy.filled_at = at
    session.flush()
