"""Searches that find nothing and residents' requests become signals, grouped into niches."""

import datetime as dt

from sqlalchemy import func, inspect, select

from dienstenwijzer.db import db
from dienstenwijzer.demand import handoff
from dienstenwijzer.models import DemandSignal, FormSubmission, Niche, QueryCount, SearchCount
from tests.conftest import login, service_row


def signals():
    return db.session.scalars(select(DemandSignal).order_by(DemandSignal.id)).all()


def search_from(client, address: str, query: str):
    return client.get(
        "/gent/zoeken", query_string={"q": query}, environ_base={"REMOTE_ADDR": address}
    )


def test_a_search_that_finds_nothing_becomes_a_signal_in_its_niche(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    client.get("/gent/zoeken?q=Hond+uitlaten&gemeente=44021")
    search_from(client, "10.0.0.2", "honden uitlaten")
    assert signals() == []  # the requests only handed them off
    handoff.drain_now()
    first, second = signals()
    assert first.source == "zoekopdracht" and first.text == "Hond uitlaten"
    assert first.normalised == second.normalised
    assert first.filters["gemeente"] == ["44021"] and first.municipality_nis == "44021"
    assert first.niche_id == second.niche_id
    # Named after the words both residents used; "hond" is the form typed most (first) here.
    assert first.niche.title == "hond uitlaten" and first.niche.confirmed


def test_a_search_with_results_or_a_corrected_typo_is_no_signal(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    client.get("/gent/zoeken?q=poetsen")
    client.get("/gent/zoeken?q=poetsn")  # found after correction
    handoff.drain_now()
    assert signals() == []


def test_words_that_map_to_one_category_group_by_that_category(client, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="t",
                naam="Groenploeg",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                omschrijving="Wij onderhouden tuinen.",
            )
        ],
    )
    client.get("/gent/zoeken?q=kuisen")
    client.get("/gent/zoeken?q=poetsvrouw")
    handoff.drain_now()
    [niche] = db.session.scalars(select(Niche)).all()
    assert [k.key for k in niche.keys] == ["cat:poetsen"]
    assert niche.title == "Poetsen (schoonmaak van de woning)"
    assert len(niche.signals) == 2


def test_signals_hold_no_personal_data(client, add_services):
    client.get(
        "/gent/zoeken?q=zwemles+voor+ouderen",
        headers={"User-Agent": "Browser/1.0", "X-Forwarded-For": "1.2.3.4"},
    )
    handoff.drain_now()
    columns = {c.key for c in inspect(DemandSignal).columns}
    assert not {"ip", "ip_address", "user_agent", "session_id", "cookie"} & columns
    [signal] = signals()
    stored = " ".join(str(getattr(signal, c)) for c in columns)
    assert "1.2.3.4" not in stored and "127.0.0.1" not in stored and "Browser" not in stored
    assert signal.contact is None and signal.recorded_by_id is None


def test_searches_are_counted_per_week_for_monitoring(app, client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    client.get("/gent/zoeken?q=poetsen")
    client.get("/gent/zoeken?q=poetsen&page=2")  # paging is not a new search
    client.get("/gent/zoeken?q=Zwembad")
    handoff.drain_now()
    row = db.session.scalar(select(SearchCount))
    assert (row.searches, row.zero_results) == (2, 1)
    assert row.week == dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    # As typed (folded), not as stems: what the regisseur reads under "Meest gezocht".
    assert {q.query: q.searches for q in db.session.scalars(select(QueryCount))} == {
        "poetsen": 1,
        "zwembad": 1,
    }
    client.get("/gent/zoeken?q=zwembad")
    handoff.drain_now()  # a second batch adds to the same weekly rows
    db.session.expire_all()
    assert db.session.scalar(select(SearchCount.searches)) == 3
    assert db.session.scalar(select(QueryCount.searches).where(QueryCount.query == "zwembad")) == 2


def test_resident_form_without_contact(client):
    page = client.get("/gent/vraag?q=hond+uitlaten").get_data(as_text=True)
    assert "hond uitlaten" in page  # carried over from the search
    done = client.post(
        "/gent/vraag",
        data={
            "need": "Iemand die mijn hond uitlaat",
            "municipality": "44021",
            "urgency": "dringend",
            "frequency": "regelmatig",
        },
    )
    assert "uw vraag is genoteerd" in done.get_data(as_text=True)
    [signal] = signals()
    assert (signal.source, signal.urgency, signal.frequency, signal.municipality_nis) == (
        "formulier",
        "dringend",
        "regelmatig",
        "44021",
    )
    assert signal.contact is None and signal.contact_until is None


def test_resident_contact_only_with_consent_and_a_retention_date(app, client):
    refused = client.post(
        "/gent/vraag", data={"need": "Hulp bij papieren", "contact": "an@voorbeeld.be"}
    )
    assert refused.status_code == 400
    assert "Vink aan dat we u mogen contacteren" in refused.get_data(as_text=True)
    assert signals() == []  # nothing stored from a rejected submission
    client.post(
        "/gent/vraag",
        data={"need": "Hulp bij papieren", "contact": "an@voorbeeld.be", "consent": "y"},
    )
    [signal] = signals()
    assert signal.contact == "an@voorbeeld.be" and signal.contact_consent
    assert signal.contact_until == dt.date.today() + dt.timedelta(
        days=app.config["NEED_CONTACT_RETENTION_DAYS"]
    )


def test_resident_form_rejects_spam_and_stores_nothing(app, client):
    robot = client.post(
        "/gent/vraag", data={"need": "Goedkope pillen", "website": "http://spam.example"}
    )
    assert robot.status_code == 200
    assert signals() == [] and db.session.scalar(select(func.count(FormSubmission.id))) == 0
    for i in range(app.config["NEED_FORM_LIMIT_PER_HOUR"]):
        client.post("/gent/vraag", data={"need": f"Vraag {i}"})
    blocked = client.post("/gent/vraag", data={"need": "Nog een vraag"})
    assert blocked.status_code == 429
    assert "later opnieuw" in blocked.get_data(as_text=True)
    assert len(signals()) == app.config["NEED_FORM_LIMIT_PER_HOUR"]


def test_the_form_is_offered_on_the_no_results_page_and_region_home(client):
    assert "/gent/vraag?q=zwembad" in client.get("/gent/zoeken?q=zwembad").get_data(as_text=True)
    assert "/gent/vraag" in client.get("/gent/").get_data(as_text=True)


def test_staff_record_a_need_from_the_desk(client, staff):
    login(client, "consulent@gent.example")
    response = client.post(
        "/gent/beheer/vragen/nieuw",
        data={"need": "Vervoer naar de dagopvang", "municipality": "44021"},
    )
    assert response.status_code == 302
    [signal] = signals()
    assert signal.source == "balie" and signal.recorded_by_id == staff["consulent"].id
    assert client.get("/kortrijk/beheer/vragen/nieuw").status_code == 403
