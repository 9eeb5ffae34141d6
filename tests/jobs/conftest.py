"""Jobs fixtures: the shipped rule sets, providers and vacancies in Gent and Kortrijk, referrals.

Everything is built through the jobs service functions, as the app builds it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from dienstenwijzer.config import PROJECT_ROOT
from dienstenwijzer.db import db
from dienstenwijzer.jobs import referrals, vacancies
from dienstenwijzer.jobs.eligibility_rules import RuleRef, load_directory
from dienstenwijzer.models import Provider, Region
from tests.conftest import service_row

RULES_DIR = PROJECT_ROOT / "fixtures" / "regels"
DATA = PROJECT_ROOT / "tests" / "jobs" / "data"
INVOEG_RULE = RuleRef("sociale-economie-vlaanderen", 1, "invoeg-laaggeschoold-jonger-dan-50")
NIS = {"gent": "44021", "evergem": "44019", "kortrijk": "34022"}


@pytest.fixture
def rule_sets(app):
    load_directory(db.session, RULES_DIR)
    db.session.commit()


def region(slug: str) -> Region:
    return db.session.scalar(select(Region).where(Region.slug == slug))


def provider(name: str) -> Provider:
    return db.session.scalar(select(Provider).where(Provider.name == name))


def make_vacancy(
    slug: str,
    provider_name: str,
    *,
    title="Medewerker strijkatelier",
    instrument="invoegeconomie",
    hours=30,
    nis=None,
    places=1,
    status="open",
    start=None,
    description=None,
):
    data = vacancies.VacancyData(
        provider=provider(provider_name),
        title=title,
        description=description
        or f"{title}: u werkt in een team, met begeleiding op de werkvloer.",
        instrument=instrument,
        hours_per_week=hours,
        municipality_nis=nis or NIS[slug],
        start_date=start,
        places=places,
        status=status,
    )
    vacancy = vacancies.save_vacancy(db.session, region(slug), None, data, (None, "test"))
    db.session.commit()
    return vacancy


def refer(
    vacancy, reference="GENT-25-001", rule=INVOEG_RULE, actor=(None, "consulent@gent.example")
):
    referral = referrals.create_referral(
        db.session, vacancy.region, vacancy, reference, rule, actor
    )
    db.session.commit()
    return referral


@pytest.fixture
def world(app, staff, add_services, rule_sets):
    """Gent: an invoegbedrijf with three vacancies (one in Evergem), a closed one; Kortrijk: one."""
    add_services(
        "gent",
        [
            service_row(
                extern_id="g1",
                aanbieder="Invoegbedrijf De Schakel",
                naam="Strijkdienst De Schakel",
                telefoon="09 000 00 02",
                email="jobs@schakel.example",
            ),
            service_row(
                extern_id="g2",
                aanbieder="Sociale werkplaats Groen",
                naam="Groenonderhoud Groen",
                categorie="tuinonderhoud",
                dienstencheques="nee",
            ),
        ],
    )
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id="k1",
                aanbieder="Leie Werkt",
                naam="Leiedienst",
                gemeenten="Kortrijk",
                straat="Grote Markt 1",
                postcode="8500",
                gemeente="Kortrijk",
            ),
        ],
    )
    w = SimpleNamespace(staff=staff)
    w.invoeg = make_vacancy("gent", "Invoegbedrijf De Schakel", title="Medewerker strijkatelier")
    w.invoeg_far = make_vacancy(
        "gent", "Invoegbedrijf De Schakel", title="Chauffeur", nis=NIS["evergem"]
    )
    w.regulier = make_vacancy(
        "gent", "Invoegbedrijf De Schakel", title="Boekhouder", instrument="regulier", hours=19
    )
    w.sw = make_vacancy(
        "gent",
        "Sociale werkplaats Groen",
        title="Groenarbeider",
        instrument="sociale-werkplaats",
        start=dt.date(2030, 9, 1),
    )
    w.closed = make_vacancy(
        "gent", "Invoegbedrijf De Schakel", title="Gesloten job", status="gesloten"
    )
    w.kortrijk = make_vacancy("kortrijk", "Leie Werkt", title="Leiejob")
    return w
