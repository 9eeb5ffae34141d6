"""Only searches that mean something become niches; a miss caused by filters is no unmet demand."""

import datetime as dt

import pytest
from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.demand import handoff, monitoring, periods
from dienstenwijzer.demand.junk import is_junk
from dienstenwijzer.models import DemandSignal, Niche, Region
from dienstenwijzer.models.demand import KIND_FILTERED, KIND_UNMET
from tests.conftest import service_row


@pytest.mark.parametrize(
    "text", ["111 22 33", "AND", "NOT OR", "xyzzy", "a", "ab", "x y", "+ - *", "12ab"]
)
def test_numbers_operators_and_a_letter_or_two_are_junk(text):
    assert is_junk(text)


@pytest.mark.parametrize("text", ["oppas", "hond uitlaten", "zwemles 6 jaar", "ramen wassen"])
def test_real_needs_are_not_junk(text):
    assert not is_junk(text)


def searched(client, query, **filters):
    client.get("/gent/zoeken", query_string={"q": query, **filters})
    handoff.drain_now()
    return db.session.scalars(select(DemandSignal).order_by(DemandSignal.id)).all()


def test_junk_searches_become_no_niche(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    for query in ("111 22 33", "AND", "ab", "q"):
        client.get("/gent/zoeken", query_string={"q": query})
    handoff.drain_now()
    assert db.session.scalars(select(DemandSignal)).all() == []
    assert db.session.scalars(select(Niche)).all() == []


def test_a_miss_caused_by_filters_is_recorded_as_such_and_makes_no_niche(client, add_services):
    add_services("gent", [service_row(extern_id="a", dienstencheques="nee", categorie="poetsen")])
    [signal] = searched(client, "poetsen", dienstencheques="1")
    assert signal.kind == KIND_FILTERED and signal.niche_id is None
    assert signal.filters["dienstencheques"]
    assert db.session.scalars(select(Niche)).all() == []
    region = db.session.get(Region, signal.region_id)
    period = periods.preset("12w", dt.date.today())
    sources = monitoring.signals_by_source(db.session, region, period)
    assert {row[0]: row[1] for row in sources.rows}["zoekopdracht"] == 0
    assert monitoring.filtered_total(db.session, region, period) == 1


def test_a_miss_with_filters_that_finds_nothing_without_them_is_unmet_demand(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    [signal] = searched(client, "pianoles", dienstencheques="1")
    assert signal.kind == KIND_UNMET and signal.niche_id is not None
