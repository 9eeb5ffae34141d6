"""Monitoring a civil servant can read: a period picker, the period before, figures per 1 000
inhabitants, a definition under every figure, Dutch numbers."""

import datetime as dt

import pytest
from sqlalchemy import select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.demand.counting import add_counts, week_of
from dienstenwijzer.demand.signals import record_request
from dienstenwijzer.models import Region
from tests.conftest import login, text_of


def _region(slug: str) -> Region:
    return db.session.scalar(select(Region).where(Region.slug == slug))


def _searches(slug: str, day: dt.date, n: int, zero: int = 0) -> None:
    region = _region(slug)
    add_counts(db.session, [(region.id, day, "poetsen", i < zero) for i in range(n)])
    db.session.commit()


def _needs(slug: str, nis: str | None, n: int, day: dt.date) -> None:
    region = _region(slug)
    for _ in range(n):
        signal = record_request(
            db.session,
            region,
            search.synonyms(slug),
            "hond uitlaten",
            municipality_nis=nis,
            urgency=None,
            frequency=None,
            contact=None,
            consent=False,
            retention_days=0,
        )
        signal.created_at = dt.datetime.combine(day, dt.time(10))
    db.session.commit()


@pytest.fixture
def gent(client, staff):
    login(client, "regisseur@gent.example")
    return client


def test_the_picker_shows_four_weeks_and_compares_with_the_four_weeks_before(gent):
    today = dt.date.today()
    _searches("gent", today, 30, zero=3)
    _searches("gent", today - dt.timedelta(weeks=5), 20, zero=4)  # in the 4 weeks before
    _searches("gent", today - dt.timedelta(weeks=9), 500)  # before both: not counted
    page = text_of(gent.get("/gent/beheer/monitoring?periode=4w").get_data(as_text=True))
    assert "(4 weken)" in page
    first = week_of(today) - dt.timedelta(weeks=3)
    assert f"Periode: {first.day} " in page
    assert "Zoekopdrachten Alle zoekopdrachten op de site van dit zorggebied. 30 20 +50 %" in page
    assert (
        "Percentage zonder resultaat Zoekopdrachten zonder resultaat op 100 zoekopdrachten. 10 % 20 % -50 %"
        in page
    )
    # Twelve weeks take in all three weeks' searches.
    page = text_of(gent.get("/gent/beheer/monitoring?periode=12w").get_data(as_text=True))
    assert "Alle zoekopdrachten op de site van dit zorggebied. 550 0 niet te berekenen" in page


def test_twelve_months_are_shown_per_month(gent):
    page = gent.get("/gent/beheer/monitoring?periode=12m").get_data(as_text=True)
    assert "Zoekopdrachten per maand" in page and "(52 weken)" in page
    assert "Zoekopdrachten per week" not in page


def test_a_custom_period_with_dutch_dates(gent):
    today = dt.date.today()
    _searches("gent", today - dt.timedelta(weeks=20), 7)
    start = today - dt.timedelta(weeks=21)
    end = today - dt.timedelta(weeks=19)
    page = text_of(
        gent.get(
            f"/gent/beheer/monitoring?periode=eigen&van={start:%d-%m-%Y}&tot={end.isoformat()}"
        ).get_data(as_text=True)
    )
    assert "(3 weken)" in page
    assert "Alle zoekopdrachten op de site van dit zorggebied. 7 0" in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("periode=eigen", "Vul de eerste dag van de periode in."),
        ("periode=eigen&van=1-3-2025", "Vul de laatste dag van de periode in."),
        ("periode=eigen&van=31-2-2025&tot=1-3-2025", "Dit is geen datum. Schrijf dag-maand-jaar"),
        ("periode=eigen&van=1-3-2025&tot=1-2-2025", "De laatste dag ligt vóór de eerste dag."),
        ("periode=eigen&van=1-1-2020&tot=1-3-2025", "Kies een periode van hoogstens 3 jaar."),
        ("periode=eigen&van=1-1-2999&tot=2-1-2999", "De eerste dag ligt in de toekomst."),
    ],
)
def test_a_wrong_custom_period_says_what_to_fix_in_dutch(gent, query, message):
    response = gent.get(f"/gent/beheer/monitoring?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Er is een probleem" in page and message in page
    assert "(12 weken)" in page  # meanwhile the default period is shown


def test_needs_per_thousand_inhabitants_per_municipality(client, staff):
    # Lennik has 9 500 inhabitants (fixtures/bevolking.csv): 5 needs are 0,53 per 1 000.
    _needs("lennik", "23104", 5, dt.date.today())
    _needs("lennik", None, 2, dt.date.today())
    login(client, "admin@dienstenwijzer.example")
    page = text_of(client.get("/lennik/beheer/monitoring").get_data(as_text=True))
    assert "Lennik 0,53 5 9.500" in page
    assert "Roosdaal 0 0 12.000" in page
    assert "Gemeente niet opgegeven – 2 –" in page
    # The zorggebied as a whole: 7 needs for 21 500 inhabitants.
    assert "Onvervulde vragen per 1 000 inwoners Onvervulde vragen gedeeld door de 21.500" in page
    admin = text_of(client.get("/beheer/monitoring").get_data(as_text=True))
    assert "Lennik 0,33 0 0 – 7 " in admin


def test_every_figure_has_a_definition_and_numbers_are_dutch(client, staff):
    _searches("gent", dt.date.today(), 1234, zero=100)
    login(client, "admin@dienstenwijzer.example")
    html = client.get("/gent/beheer/monitoring").get_data(as_text=True)
    assert html.count('<figure class="chart-figure">') == html.count('<p class="definition">') - 1
    page = text_of(html)
    assert "Alle zoekopdrachten op de site van dit zorggebied. 1.234 0" in page
    assert "Zoekopdrachten zonder resultaat op 100 zoekopdrachten. 8,1 %" in page
    assert "8.1" not in page
    admin = text_of(client.get("/beheer/monitoring").get_data(as_text=True))
    assert "Gent 0 4,57 1.234 8,1 0" in admin
    csv = client.get("/beheer/monitoring.csv").get_data(as_text=True)
    assert "Gent;0;4,57;1234;8,1;0;0;0" in csv
