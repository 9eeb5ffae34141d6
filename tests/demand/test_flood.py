"""One person cannot flood the niche board: junk is no need, a client counts a few times an hour,
and a niche shows only when two different clients had the need or staff confirm it."""

import pytest
from sqlalchemy import func, select

from dienstenwijzer.db import db
from dienstenwijzer.demand import handoff
from dienstenwijzer.demand.junk import is_junk
from dienstenwijzer.demand.signals import SEARCH_SIGNALS_PER_CLIENT_HOUR
from dienstenwijzer.models import DemandSignal, Niche
from tests.conftest import login, service_row

NONSENSE = [
    "111 22 33",
    "AND",
    "xyzzy",
    "a",
    "b",
    "!!!",
    "???",
    "0",
    "12345",
    "zzzz",
    "qqq www",
    "a b c d",
    "OR",
    "NOT",
    "de het een",
    "x" * 40,
    "aaaaaa",
    "...",
    "-- --",
    "ZZZ",
    "; --",
    "k",
    "1",
    "2",
    "3",
    "ab" * 100,
    "%%%",
    "grrr",
    "hmm",
    "v",
]


def search_from(client, address: str, query: str):
    response = client.get(
        "/gent/zoeken", query_string={"q": query}, environ_base={"REMOTE_ADDR": address}
    )
    assert response.status_code == 200
    return response


@pytest.fixture
def regisseur(client, staff, add_services):
    add_services("gent", [service_row(extern_id="a")])
    return client


def board(client) -> str:
    login(client, "regisseur@gent.example")
    page = client.get("/gent/beheer/niches").get_data(as_text=True)
    client.post("/afmelden")
    return page


@pytest.mark.parametrize(
    "text", ["111 22 33", "AND", "xyzzy", "a", "!!!", "12 34", "qwrtz", "x" * 200]
)
def test_junk_is_no_need(text):
    assert is_junk(text)


@pytest.mark.parametrize(
    "text",
    [
        "hond uitlaten",
        "tv herstellen",
        "iemand om mijn gras te maaien",
        "oppas 2 kinderen",
        "kinderopvangtoeslag",
        "Één keer per week poetsen",
    ],
)
def test_real_needs_are_no_junk(text):
    assert not is_junk(text)


def test_thirty_nonsense_searches_from_one_client_make_no_niche(regisseur):
    assert len(NONSENSE) == 30
    for text in NONSENSE:
        search_from(regisseur, "203.0.113.7", text)
    handoff.drain_now()
    assert db.session.scalar(select(func.count(DemandSignal.id))) == 0
    assert db.session.scalar(select(func.count(Niche.id))) == 0
    assert "0 niches" in board(regisseur)


def test_one_client_counts_only_a_few_times_an_hour_and_alone_makes_no_niche(regisseur):
    for i in range(30):
        search_from(
            regisseur, "203.0.113.7", f"zwemles nummer {['een', 'twee', 'drie'][i % 3]} {i}"
        )
    for need in ("hondentrimsalon", "paardrijles", "sterrenkijken"):
        search_from(regisseur, "203.0.113.7", need)
    handoff.drain_now()
    assert db.session.scalar(select(func.count(DemandSignal.id))) == SEARCH_SIGNALS_PER_CLIENT_HOUR
    assert "0 niches" in board(regisseur)


def test_one_real_need_from_two_clients_makes_one_niche(regisseur):
    search_from(regisseur, "203.0.113.7", "hond uitlaten")
    search_from(regisseur, "203.0.113.7", "hond uitlaten")  # the same client again: still one
    handoff.drain_now()
    assert "0 niches" in board(regisseur)
    search_from(regisseur, "198.51.100.20", "Honden uitlaten")
    # A third client adds a name: another need (and key) that no second client had.
    search_from(regisseur, "192.0.2.33", "hond uitlaten Jan Peeters")
    handoff.drain_now()
    page = board(regisseur)
    assert "1 niche" in page and "hond uitlaten" in page and "Peeters" not in page
    [niche] = db.session.scalars(select(Niche).where(Niche.confirmed.is_(True))).all()
    assert niche.title == "hond uitlaten" and niche.title_from_residents


def test_a_need_noted_at_the_desk_confirms_the_niche(regisseur):
    search_from(regisseur, "203.0.113.7", "vervoer naar de sporthal")
    handoff.drain_now()
    assert "0 niches" in board(regisseur)
    login(regisseur, "consulent@gent.example")
    regisseur.post("/gent/beheer/vragen/nieuw", data={"need": "Vervoer naar de sporthal"})
    regisseur.post("/afmelden")
    page = board(regisseur)
    assert "1 niche" in page and "Vervoer &amp; mobiliteit" in page  # its taxonomy category
