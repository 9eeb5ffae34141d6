"""The niche board and its workflow, for a regisseur and only within their zorggebied."""

import datetime as dt

import pytest
from sqlalchemy import select, update

from dienstenwijzer import search
from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.demand.signals import record_search_miss
from dienstenwijzer.models import DemandSignal, Niche, NicheAlert, Region
from tests.conftest import login, service_row


def region(slug):
    return db.session.scalar(select(Region).where(Region.slug == slug))


def miss(text, slug="gent", nis=None, days_ago=0, client=None):
    """A search miss as the hand-off writer records it; each call a different client by default."""
    miss.clients += 1
    signal = record_search_miss(
        db.session,
        region(slug),
        search.synonyms(),
        text,
        {},
        nis,
        client_key=client or f"client-{miss.clients}",
    )
    signal.created_at = utcnow() - dt.timedelta(days=days_ago)
    db.session.commit()
    return signal


miss.clients = 0


@pytest.fixture
def regisseur(client, staff, add_services):
    add_services("gent", [service_row(extern_id="a")])
    login(client, "regisseur@gent.example")
    return client


def test_board_shows_count_places_dates_and_trend(regisseur):
    for days in (1, 2, 3):
        miss("hond uitlaten", nis="44021", days_ago=days)
    miss("honden uitlaten", days_ago=100)
    miss("zwemles", days_ago=5)
    miss("zwemles", days_ago=6)
    page = regisseur.get("/gent/beheer/niches").get_data(as_text=True)
    assert page.index("hond uitlaten") < page.index("zwemles")  # biggest first
    assert "<td>4</td>" in page and "Gent" in page
    assert "stijgend (3 tegen 1 in de 90 dagen ervoor)" in page


def test_rename_and_move_through_the_workflow(regisseur):
    niche = miss("hond uitlaten").niche
    url = f"/gent/beheer/niches/{niche.id}"
    assert (
        regisseur.post(url, data={"title": "Honden uitlaten", "status": "onderzocht"}).status_code
        == 302
    )
    refused = regisseur.post(
        url, data={"title": "Honden uitlaten", "status": "afgewezen", "reason": ""}
    )
    assert "Schrijf waarom de niche afgewezen wordt." in refused.get_data(as_text=True)
    no_service = regisseur.post(
        url, data={"title": "Honden uitlaten", "status": "ingevuld", "service_id": "0"}
    )
    assert "Kies de dienst die de niche nu invult." in no_service.get_data(as_text=True)
    regisseur.post(url, data={"title": "Honden uitlaten", "status": "ingevuld", "service_id": "1"})
    db.session.expire_all()
    niche = db.session.get(Niche, niche.id)
    assert (niche.title, niche.status, niche.service_id) == ("Honden uitlaten", "ingevuld", 1)
    assert "ingevuld" in regisseur.get("/gent/beheer/niches?status=ingevuld").get_data(as_text=True)


def test_merge_moves_signals_and_future_signals(regisseur):
    a = miss("hond uitlaten").niche
    b = miss("huisdieren verzorgen").niche
    regisseur.post(
        f"/gent/beheer/niches/{b.id}/samenvoegen", data={"merge-into": str(a.id), "bevestigd": "ja"}
    )
    db.session.expire_all()
    assert db.session.get(Niche, b.id) is None
    later = miss("huisdieren verzorgen")
    assert later.niche_id == a.id
    assert len(db.session.get(Niche, a.id).signals) == 3


def test_split_moves_chosen_signals_to_a_new_niche(regisseur):
    one = miss("hond uitlaten")
    two = miss("honden uitlaten")
    regisseur.post(
        f"/gent/beheer/niches/{one.niche_id}/splitsen",
        data={"signal": [str(two.id)], "title": "Grote honden", "bevestigd": "ja"},
    )
    db.session.expire_all()
    moved = db.session.get(DemandSignal, two.id)
    assert moved.niche_id != one.niche_id and moved.niche.title == "Grote honden"


def test_a_new_service_matching_an_open_niche_is_announced(regisseur):
    niche = miss("hond uitlaten").niche
    regisseur.post(
        "/gent/beheer/diensten/nieuw",
        data={
            "name": "Hondenuitlaatdienst",
            "provider_id": "1",
            "description": "Wij komen honden uitlaten als u ziek bent.",
            "categories": ["burenhulp"],
            "served_region": ["44021"],
            "postcode": "9000",
            "town": "Gent",
        },
    )
    [alert] = db.session.scalars(select(NicheAlert)).all()
    assert alert.niche_id == niche.id
    board = regisseur.get("/gent/beheer/niches").get_data(as_text=True)
    assert "Hondenuitlaatdienst" in board and "past misschien bij de niche" in board
    regisseur.post(f"/gent/beheer/niches/meldingen/{alert.id}/gezien")
    assert "past misschien bij de niche" not in regisseur.get("/gent/beheer/niches").get_data(
        as_text=True
    )


def test_niches_stay_within_their_zorggebied(client, staff, add_services):
    miss("hond uitlaten", slug="kortrijk")
    kortrijk = miss("hond uitlaten", slug="kortrijk").niche
    login(client, "regisseur@gent.example")
    assert "hond uitlaten" not in client.get("/gent/beheer/niches").get_data(as_text=True)
    assert client.get(f"/gent/beheer/niches/{kortrijk.id}").status_code == 404
    assert (
        client.post(
            f"/gent/beheer/niches/{kortrijk.id}",
            data={"title": "x", "status": "afgewezen", "reason": "x"},
        ).status_code
        == 404
    )
    assert client.get("/kortrijk/beheer/niches").status_code == 403
    gent = miss("zwemles").niche
    client.post(
        f"/gent/beheer/niches/{gent.id}/samenvoegen",
        data={"merge-into": str(kortrijk.id), "bevestigd": "ja"},
    )
    db.session.expire_all()
    assert db.session.get(Niche, gent.id) is not None  # not merged across regions
    assert db.session.get(Niche, kortrijk.id).title == "hond uitlaten"


def test_consulenten_record_needs_but_do_not_run_the_niche_board(client, staff):
    login(client, "consulent@gent.example")
    assert client.get("/gent/beheer/niches").status_code == 403


def test_purge_keeps_counts_of_removed_signals(app, regisseur):
    old = miss("hond uitlaten", days_ago=800)
    miss("hond uitlaten")
    old.contact, old.contact_until = "an@voorbeeld.be", dt.date.today() - dt.timedelta(days=1)
    recent_contact = miss("zwemles")
    recent_contact.contact, recent_contact.contact_until = (
        "bo@voorbeeld.be",
        dt.date.today() + dt.timedelta(days=10),
    )
    db.session.commit()
    old_niche_id, recent_id = old.niche_id, recent_contact.id
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    niche = db.session.get(Niche, old_niche_id)
    assert len(niche.signals) == 1 and niche.purged_count == 1
    assert "<td>2</td>" in regisseur.get("/gent/beheer/niches").get_data(as_text=True)
    assert db.session.get(DemandSignal, recent_id).contact == "bo@voorbeeld.be"
    assert (
        db.session.scalar(select(DemandSignal).where(DemandSignal.contact == "an@voorbeeld.be"))
        is None
    )
    db.session.execute(
        update(DemandSignal).values(contact_until=dt.date.today() - dt.timedelta(days=1))
    )
    db.session.commit()
    app.test_cli_runner().invoke(args=["purge"])
    db.session.expire_all()
    assert db.session.get(DemandSignal, recent_id).contact is None
