"""Privacy by default: what residents type loses personal data before it is stored, and
`purge` removes residents' words (niche titles, examples, top queries) after the retention."""

import datetime as dt

import pytest
from sqlalchemy import select, update

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.demand import handoff
from dienstenwijzer.demand.privacy import client_key, strip_personal_data
from dienstenwijzer.demand.signals import record_search_miss
from dienstenwijzer.models import DemandSignal, Niche, QueryCount, Region
from tests.conftest import login, service_row


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("poetshulp, bel me op 0470 12 34 56", "poetshulp, bel me op"),
        ("oppas gezocht +32 9 123 45 67", "oppas gezocht"),
        ("strijkhulp 09/123.45.67 na 18u", "strijkhulp na 18u"),
        ("hulp voor mijn moeder 85.07.30-033.61", "hulp voor mijn moeder"),
        ("rijksregisternummer 85073003361 nodig", "rijksregisternummer nodig"),
        ("klusjesman, mail an.peeters@telenet.be", "klusjesman, mail"),
        ("boodschappen doen Kerkstraat 12 Gent", "boodschappen doen Gent"),
        ("tuinhulp Sint-Pietersnieuwstraat 41 bus 3", "tuinhulp"),
        ("vervoer naar Grote Markt 7A", "vervoer naar Grote"),
        ("storting op BE68 5390 0754 7034", "storting op"),
        ("poetshulp in 9000 Gent", "poetshulp in 9000 Gent"),  # a postcode is a place, no person
        ("oppas voor 2 kinderen", "oppas voor 2 kinderen"),
    ],
)
def test_personal_data_is_cut_from_what_residents_type(typed, stored):
    assert strip_personal_data(typed) == stored


def test_the_client_key_hides_the_address_and_changes_every_day():
    today = dt.date(2026, 12, 1)
    key = client_key("geheim", "203.0.113.7", today)
    assert "203.0.113.7" not in key and len(key) == 64
    assert key == client_key("geheim", "203.0.113.7", today)
    assert key != client_key("geheim", "203.0.113.7", today + dt.timedelta(days=1))
    assert key != client_key("ander geheim", "203.0.113.7", today)


def test_a_search_with_a_phone_number_and_e_mail_stores_neither(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    client.get(
        "/gent/zoeken",
        query_string={"q": "Zwemles voor mijn zoon, bel 0470 12 34 56 of jan@voorbeeld.be"},
    )
    handoff.drain_now()
    [signal] = db.session.scalars(select(DemandSignal)).all()
    [query] = db.session.scalars(select(QueryCount.query)).all()
    for stored in (signal.text, signal.normalised, query):
        assert "0470" not in stored and "56" not in stored and "voorbeeld" not in stored
    assert signal.text == "Zwemles voor mijn zoon, bel of"
    assert query == "zwemles voor mijn zoon, bel of"  # "Meest gezocht": as typed, folded


def _gent():
    return db.session.scalar(select(Region).where(Region.slug == "gent"))


def _miss(text, client, days_ago):
    signal = record_search_miss(
        db.session, _gent(), search.synonyms(), text, {}, None, client_key=client
    )
    signal.created_at = signal.niche.created_at = dt.datetime.now() - dt.timedelta(days=days_ago)
    db.session.commit()
    return signal


def test_purge_removes_residents_words_past_the_retention(app, client, staff, add_services):
    add_services("gent", [service_row(extern_id="a")])
    shared = _miss("hond uitlaten", "client-1", days_ago=800)
    _miss("honden uitlaten", "client-2", days_ago=800)
    lonely = _miss("paardrijles voor Jan Peeters", "client-3", days_ago=800)
    named = _miss("zwemles ouderen", "client-4", days_ago=800)
    _miss("zwemles ouderen", "client-5", days_ago=800)
    recent = _miss("pianoles voor kinderen", "client-6", days_ago=3)
    _miss("pianoles voor kinderen", "client-7", days_ago=2)
    login(client, "regisseur@gent.example")
    client.post(
        f"/gent/beheer/niches/{named.niche_id}",
        data={"title": "Zwemles voor senioren", "status": "onderzocht"},
    )
    old_week = dt.date.today() - dt.timedelta(days=800)
    db.session.add(
        QueryCount(
            region_id=_gent().id, week=old_week, query="paardrijles voor jan peeters", searches=1
        )
    )
    db.session.execute(update(Niche).values(created_at=dt.datetime.now() - dt.timedelta(days=800)))
    db.session.commit()
    ids = {
        "shared": shared.niche_id,
        "lonely": lonely.niche_id,
        "named": named.niche_id,
        "recent": recent.niche_id,
    }

    assert app.test_cli_runner().invoke(args=["purge"]).exit_code == 0
    db.session.expire_all()
    shared_niche = db.session.get(Niche, ids["shared"])
    assert shared_niche.title == f"Niche {shared_niche.id} (naam gewist na bewaartermijn)"
    assert shared_niche.purged_count == 2  # its count stays
    assert db.session.get(Niche, ids["lonely"]) is None  # one client's need, now without any trace
    assert (
        db.session.get(Niche, ids["named"]).title == "Zwemles voor senioren"
    )  # staff's words stay
    assert (
        db.session.get(Niche, ids["recent"]).title == "pianoles voor kinderen"
    )  # within retention
    assert db.session.scalars(select(QueryCount.query)).all() == []
    board = client.get("/gent/beheer/niches").get_data(as_text=True)
    assert "hond" not in board and "Peeters" not in board and "Zwemles voor senioren" in board
