""" "Dit bedoelden ze": from a niche or from monitoring, one step teaches the word and meets the need."""

import pytest
from sqlalchemy import select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.demand import handoff
from dienstenwijzer.models import AuditEntry, DemandSignal, Niche, Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import login, service_row


@pytest.fixture
def regisseur(client, staff, add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="a"),
            service_row(
                extern_id="b",
                naam="Klusjesdienst Hamer",
                categorie="klusjesdienst",
                omschrijving="Kleine herstellingen in huis.",
                dienstencheques="nee",
            ),
        ],
    )
    return client


def residents_search(client, text: str, times: int = 2) -> None:
    """Residents search from different addresses and find nothing: the signals are written."""
    for i in range(times):
        client.get(
            "/gent/zoeken",
            query_string={"q": text},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"},
        )
    handoff.drain_now()


def niche_of(text: str) -> Niche:
    db.session.expire_all()
    return db.session.scalar(select(Niche).join(DemandSignal).where(DemandSignal.text == text))


def test_from_a_niche_a_service_fills_it_and_residents_find_the_service(regisseur):
    residents_search(regisseur, "Reparatiekabouter")
    niche = niche_of("Reparatiekabouter")
    assert niche.confirmed and niche.status == "nieuw"
    login(regisseur, "regisseur@gent.example")
    page = regisseur.get(f"/gent/beheer/niches/{niche.id}").get_data(as_text=True)
    assert (
        "Dit bedoelden ze" in page and 'value="reparatiekabouter"' in page
    )  # residents' words, as typed
    hamer = db.session.scalar(select(Service.id).where(Service.name == "Klusjesdienst Hamer"))
    done = regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "reparatiekabouter", "target": f"dienst:{hamer}", "niche": niche.id},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(
        f"/gent/beheer/niches/{niche.id}"
    )
    niche = niche_of("Reparatiekabouter")
    assert (niche.status, niche.service_id) == ("ingevuld", hamer)
    names = [h.name for h in search.search("gent", SearchRequest(text="Reparatiekabouter")).hits]
    assert names == ["Klusjesdienst Hamer"]
    assert "staat nu op “ingevuld”" in regisseur.get(done.headers["Location"]).get_data(
        as_text=True
    )
    audit = db.session.execute(
        select(AuditEntry.entity, AuditEntry.action, AuditEntry.changes).order_by(AuditEntry.id)
    ).all()
    assert [(e, a) for e, a, _ in audit if e in ("synonym", "niche")] == [
        ("synonym", "create"),
        ("niche", "update"),
    ]
    assert audit[-1].changes["status"] == ["nieuw", "ingevuld"]
    assert "Dit bedoelden ze" not in regisseur.get(f"/gent/beheer/niches/{niche.id}").get_data(
        as_text=True
    )


def test_from_monitoring_a_category_with_services_meets_every_open_niche_of_those_words(regisseur):
    residents_search(regisseur, "blinkfee")
    login(regisseur, "regisseur@gent.example")
    monitoring = regisseur.get("/gent/beheer/monitoring").get_data(as_text=True)
    assert (
        "Zoekopdrachten zonder resultaat" in monitoring
        and '<td>blinkfee</td><td class="number">2</td>' in monitoring
    )
    niche = niche_of("blinkfee")
    link = f"/gent/beheer/zoekwoorden/nieuw?term=blinkfee&amp;niche={niche.id}"
    assert link in monitoring
    form = regisseur.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="blinkfee"' in form and f'value="{niche.id}"' in form
    regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "blinkfee", "target": "categorie:poetsen", "niche": niche.id},
    )
    assert niche_of("blinkfee").status == "ingevuld"
    assert [h.name for h in search.search("gent", SearchRequest(text="blinkfee")).hits] == [
        "Poetsdienst De Bezem"
    ]
    assert "<td>blinkfee</td>" not in regisseur.get("/gent/beheer/monitoring").get_data(
        as_text=True
    )


def test_a_category_without_services_regroups_the_signals_under_that_category(regisseur):
    residents_search(regisseur, "pampersfee")
    niche = niche_of("pampersfee")
    login(regisseur, "regisseur@gent.example")
    regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "pampersfee", "target": "categorie:babysit", "niche": niche.id},
    )
    regrouped = niche_of("pampersfee")
    assert regrouped.id != niche.id and db.session.get(Niche, niche.id) is None
    assert regrouped.status == "nieuw" and regrouped.title == "Babysit en oppasdienst"
    assert {k.key for k in regrouped.keys} == {"cat:babysit", "terms:pampersfee"}
    residents_search(regisseur, "Pampersfee", times=1)  # a new search joins the category's niche
    assert {s.niche_id for s in db.session.scalars(select(DemandSignal))} == {regrouped.id}


def test_a_kortrijk_niche_cannot_be_met_from_gent(regisseur, client, add_services):
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id="k",
                naam="Poetsploeg Leie",
                gemeenten="Kortrijk",
                postcode="8500",
                gemeente="Kortrijk",
                straat="Grote Markt 1",
            )
        ],
    )
    for i in range(2):
        client.get(
            "/kortrijk/zoeken",
            query_string={"q": "leiefee"},
            environ_base={"REMOTE_ADDR": f"10.0.1.{i}"},
        )
    handoff.drain_now()
    niche = niche_of("leiefee")
    login(regisseur, "regisseur@gent.example")
    refused = regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "leiefee", "target": "categorie:poetsen", "niche": niche.id},
    )
    assert refused.status_code == 404
    assert niche_of("leiefee").status == "nieuw"
    assert regisseur.get(f"/gent/beheer/zoekwoorden/nieuw?niche={niche.id}").status_code == 404


def test_monitoring_and_niche_titles_show_residents_words_as_typed(regisseur):
    """Issue 10 item 6: folded words as typed, never stems or sorted tokens."""
    residents_search(regisseur, "Zwemles voor kinderen")
    login(regisseur, "regisseur@gent.example")
    page = regisseur.get("/gent/beheer/monitoring").get_data(as_text=True)
    assert "zwemles voor kinderen" in page  # "Meest gezocht" and "zonder resultaat"
    assert "kinder zwemles" not in page and "zwemles kind" not in page
    board = regisseur.get("/gent/beheer/niches").get_data(as_text=True)
    assert ">zwemles voor kinderen</a>" in board
