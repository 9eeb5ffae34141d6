"""A year of demo history: every monitoring chart of a fresh demo shows something, the same way
every time, and the page says it is made up."""

import datetime as dt

from sqlalchemy import func, select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.demand.demo_history import add_demo_history, has_history
from dienstenwijzer.demand.population import inhabitants
from dienstenwijzer.models import DemandSignal, Niche, Region, SearchCount
from tests.conftest import FIXTURES, login, text_of

TODAY = dt.date(2026, 3, 4)


def _gent() -> Region:
    return db.session.scalar(select(Region).where(Region.slug == "gent"))


def _history(region: Region, today: dt.date) -> tuple[list, list]:
    add_demo_history(db.session, region, search.synonyms("gent"), today, inhabitants(FIXTURES))
    weeks = db.session.execute(
        select(SearchCount.week, SearchCount.searches, SearchCount.zero_results).order_by(
            SearchCount.week
        )
    ).all()
    needs = db.session.execute(
        select(DemandSignal.text, DemandSignal.created_at).order_by(DemandSignal.created_at)
    ).all()
    return weeks, needs


def test_a_year_of_history_the_same_every_time(app):
    region = _gent()
    weeks, needs = _history(region, TODAY)
    assert len(weeks) == 52 and all(n > 0 for _, n, _ in weeks)
    assert weeks[-1][0] == dt.date(2026, 2, 23)  # up to the week before the install
    assert all(0 < z < n for _, n, z in weeks)
    assert len(needs) > 52
    assert needs[0][1] >= dt.datetime(2025, 3, 2)
    db.session.rollback()
    assert (weeks, needs) == _history(_gent(), TODAY)


def test_a_fresh_demo_shows_every_chart_and_says_it_is_made_up(client, staff):
    region = _gent()
    region.demo_catalogue = True
    assert not has_history(db.session, region)
    add_demo_history(
        db.session, region, search.synonyms("gent"), dt.date.today(), inhabitants(FIXTURES)
    )
    db.session.commit()
    assert has_history(db.session, region)
    assert db.session.scalar(select(func.count(Niche.id)).where(Niche.confirmed.is_(True))) >= 5
    login(client, "regisseur@gent.example")
    html = client.get("/gent/beheer/monitoring?periode=12m").get_data(as_text=True)
    assert "Nog geen gegevens" not in html
    page = text_of(html)
    assert "Demo: de cijfers van vóór de installatie zijn verzonnen" in page
    assert "Meest gezocht Zoekwoorden Aantal poetshulp" in page
    board = text_of(client.get("/gent/beheer/niches").get_data(as_text=True))
    assert "hond" in board
