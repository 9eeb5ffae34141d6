"""Regisseurs teach the search their residents' words: add, change, remove, per zorggebied."""

import pytest
from sqlalchemy import select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import AuditEntry, Region, RegionSynonym, Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import login, service_row

WORD = "blinkfee"  # no service, synonym or thesaurus word: only what is taught finds it


def found(slug: str, text: str) -> list[str]:
    return [h.name for h in search.search(slug, SearchRequest(text=text)).hits]


@pytest.fixture
def catalogue(add_services):
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


@pytest.fixture
def regisseur(client, staff, catalogue):
    login(client, "regisseur@gent.example")
    return client


def service_id(name: str) -> int:
    return db.session.scalar(select(Service.id).where(Service.name == name))


def words_of(slug: str | None) -> list[tuple[str, str | None, int | None]]:
    query = select(RegionSynonym.term, RegionSynonym.category_id, RegionSynonym.service_id)
    if slug is None:
        query = query.where(RegionSynonym.region_id.is_(None))
    else:
        query = query.join(Region, RegionSynonym.region_id == Region.id).where(Region.slug == slug)
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(query.order_by(RegionSynonym.term))]


def test_a_word_for_a_category_finds_its_services_at_once_in_that_zorggebied_only(regisseur):
    assert found("gent", WORD) == [] and found("kortrijk", WORD) == []
    page = regisseur.get("/gent/beheer/zoekwoorden/nieuw").get_data(as_text=True)
    assert "Wat bedoelen ze ermee?" in page and "Klusjesdienst Hamer" in page
    done = regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw", data={"term": " Blinkfee ", "target": "categorie:poetsen"}
    )
    assert done.status_code == 302
    assert words_of("gent") == [(WORD, "poetsen", None)]
    assert found("gent", WORD) == ["Poetsdienst De Bezem"]  # no restart, no reindex
    assert found("kortrijk", WORD) == []  # Kortrijk's residents were not taught this
    listed = regisseur.get("/gent/beheer/zoekwoorden").get_data(as_text=True)
    assert WORD in listed and "categorie Poetsen" in listed


def test_a_word_for_a_service_finds_that_service(regisseur):
    hamer = service_id("Klusjesdienst Hamer")
    assert found("gent", "reparatiekabouter") == []
    regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "reparatiekabouter", "target": f"dienst:{hamer}"},
    )
    assert words_of("gent") == [("reparatiekabouter", None, hamer)]
    assert found("gent", "reparatiekabouter") == ["Klusjesdienst Hamer"]
    assert all(d.ok for d in search.check_index())  # the index still equals the database


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"term": "", "target": "categorie:poetsen"},
            "Typ het woord of de zin die inwoners gebruiken.",
        ),
        ({"term": "blinkfee", "target": ""}, "Kies een categorie of een dienst."),
        (
            {"term": "blinkfee", "target": "categorie:bestaat-niet"},
            "Kies een categorie of een dienst uit de lijst.",
        ),
        ({"term": "aan de", "target": "categorie:poetsen"}, "Dit zijn alleen kleine woorden"),
        (
            {
                "term": "vriendelijke poetshulp voor ramen gangen trappen keuken",
                "target": "categorie:poetsen",
            },
            "Gebruik voor een categorie hoogstens 4 woorden.",
        ),
        ({"term": "x" * 121, "target": "categorie:poetsen"}, "Gebruik hoogstens 120 tekens."),
    ],
)
def test_a_wrong_word_is_refused_in_dutch_and_the_input_kept(regisseur, data, message):
    response = regisseur.post("/gent/beheer/zoekwoorden/nieuw", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Er is een probleem" in page and message in page
    assert data["term"][:50] in page  # what was typed is still there
    assert words_of("gent") == []


def test_a_word_has_one_meaning_per_zorggebied(regisseur, client):
    regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw", data={"term": WORD, "target": "categorie:poetsen"}
    )
    again = regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "BLINKFEE", "target": "categorie:klusjesdienst"},
    )
    assert again.status_code == 400 and "Dit woord staat al in de lijst." in again.get_data(
        as_text=True
    )
    regisseur.get("/afmelden")
    login(client, "regisseur@kortrijk.example")  # Kortrijk may give it a meaning of its own
    assert (
        client.post(
            "/kortrijk/beheer/zoekwoorden/nieuw",
            data={"term": WORD, "target": "categorie:klusjesdienst"},
        ).status_code
        == 302
    )


def test_change_then_remove_after_a_confirmation_each_audited(regisseur):
    regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw", data={"term": WORD, "target": "categorie:poetsen"}
    )
    synonym_id = db.session.scalar(select(RegionSynonym.id))
    url = f"/gent/beheer/zoekwoorden/{synonym_id}"
    form = regisseur.get(url).get_data(as_text=True)
    assert f'value="{WORD}"' in form and 'selected value="categorie:poetsen"' in form
    hamer = service_id("Klusjesdienst Hamer")
    assert (
        regisseur.post(url, data={"term": "blinkfee", "target": f"dienst:{hamer}"}).status_code
        == 302
    )
    assert found("gent", WORD) == ["Klusjesdienst Hamer"]

    question = regisseur.get(f"{url}/verwijderen").get_data(as_text=True)
    assert "Zoekwoord “blinkfee” verwijderen?" in question and "Ja, verwijderen" in question
    assert words_of("gent") == [(WORD, None, hamer)]  # asking deleted nothing
    assert regisseur.post(f"{url}/verwijderen").status_code == 302
    assert words_of("gent") == []
    assert found("gent", WORD) == []

    audit = db.session.execute(
        select(AuditEntry.entity, AuditEntry.action, AuditEntry.actor, AuditEntry.changes)
        .where(AuditEntry.entity == "synonym")
        .order_by(AuditEntry.id)
    ).all()
    assert [(e, a, who) for e, a, who, _ in audit] == [
        ("synonym", "create", "regisseur@gent.example"),
        ("synonym", "update", "regisseur@gent.example"),
        ("synonym", "delete", "regisseur@gent.example"),
    ]
    assert audit[0].changes["category"] == [None, "poetsen"]
    assert audit[1].changes == {"category": ["poetsen", None], "service": [None, hamer]}
    history = regisseur.get("/gent/beheer/geschiedenis").get_data(as_text=True)
    assert "Zoekwoord #" in history and "verwijderd" in history


def test_the_list_searches_own_words_and_shows_standard_ones_read_only(regisseur):
    for i in range(30):
        regisseur.post(
            "/gent/beheer/zoekwoorden/nieuw",
            data={"term": f"blinkfee{i:02d}", "target": "categorie:poetsen"},
        )
    regisseur.get("/gent/beheer/zoekwoorden")  # shows (and so clears) the 30 "Bewaard" messages
    first = regisseur.get("/gent/beheer/zoekwoorden").get_data(as_text=True)
    assert "30 eigen zoekwoorden" in first and "blinkfee24" in first and "blinkfee25" not in first
    assert "blinkfee29" in regisseur.get("/gent/beheer/zoekwoorden?page=2").get_data(as_text=True)
    searched = regisseur.get("/gent/beheer/zoekwoorden?q=fee07").get_data(as_text=True)
    assert "1 eigen zoekwoord" in searched and "blinkfee07" in searched
    standard = regisseur.get("/gent/beheer/zoekwoorden?q=kuisen").get_data(as_text=True)
    assert "Standaard zoekwoorden" in standard and "<td>standaard</td>" in standard


def test_kortrijk_cannot_see_or_change_gents_words(regisseur, client):
    regisseur.post(
        "/gent/beheer/zoekwoorden/nieuw", data={"term": WORD, "target": "categorie:poetsen"}
    )
    synonym_id = db.session.scalar(select(RegionSynonym.id))
    regisseur.get("/afmelden")
    login(client, "regisseur@kortrijk.example")
    assert client.get("/gent/beheer/zoekwoorden").status_code == 403
    assert client.post(f"/gent/beheer/zoekwoorden/{synonym_id}/verwijderen").status_code == 403
    assert client.get(f"/kortrijk/beheer/zoekwoorden/{synonym_id}").status_code == 404
    assert client.post(f"/kortrijk/beheer/zoekwoorden/{synonym_id}/verwijderen").status_code == 404
    assert WORD not in client.get("/kortrijk/beheer/zoekwoorden").get_data(as_text=True)
    kortrijk_service = service_id("Poetsploeg Leie")
    stolen = client.post(
        "/kortrijk/beheer/zoekwoorden/nieuw",
        data={"term": "leiefee", "target": f"dienst:{service_id('Poetsdienst De Bezem')}"},
    )
    assert stolen.status_code == 400  # a Gent service is no choice in Kortrijk
    assert words_of("gent") == [(WORD, "poetsen", None)] and words_of("kortrijk") == []
    assert kortrijk_service is not None


def test_an_admin_teaches_every_zorggebied_at_once_and_only_admins_change_it(
    client, staff, catalogue
):
    login(client, "admin@dienstenwijzer.example")
    assert "Voor alle zorggebieden" in client.get("/gent/beheer/zoekwoorden/nieuw").get_data(
        as_text=True
    )
    client.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": WORD, "target": "categorie:poetsen", "all_regions": "y"},
    )
    assert words_of(None) == [(WORD, "poetsen", None)]
    assert found("gent", WORD) == ["Poetsdienst De Bezem"] and found("kortrijk", WORD) == [
        "Poetsploeg Leie"
    ]
    synonym_id = db.session.scalar(select(RegionSynonym.id))
    client.get("/afmelden")
    login(client, "regisseur@gent.example")
    listed = client.get("/gent/beheer/zoekwoorden").get_data(as_text=True)
    assert "alle zorggebieden" in listed and "alleen een beheerder" in listed
    assert "Voor alle zorggebieden" not in client.get("/gent/beheer/zoekwoorden/nieuw").get_data(
        as_text=True
    )
    assert client.post(f"/gent/beheer/zoekwoorden/{synonym_id}/verwijderen").status_code == 403
    # A regisseur's "all_regions" is ignored: the word stays in their own zorggebied.
    client.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "glansfee", "target": "categorie:poetsen", "all_regions": "y"},
    )
    assert words_of("gent") == [("glansfee", "poetsen", None)]
