"""A regisseur edits the catalogue; residents see it at once; nothing typed is lost."""

import pytest
from sqlalchemy import select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import AuditEntry, Provider, Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import service_row


def form_data(**changes):
    data = {
        "name": "Poetsdienst De Bezem",
        "provider_id": "1",
        "description": "Wij poetsen bij u thuis.",
        "categories": ["poetsen"],
        "served_region": ["44021"],
        "served_other": "",
        "street": "Kerkstraat 1",
        "postcode": "9000",
        "town": "Gent",
        "phone": "",
        "email": "",
        "website": "",
        "dienstencheques": "y",
        "price": "",
        "target_group": "",
        "opening_hours": "",
        "external_id": "a",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def found(text):
    return [h.name for h in search.search("gent", SearchRequest(text=text)).hits]


def test_an_edit_is_on_the_public_site_at_once(regisseur):
    response = regisseur.post(
        "/gent/beheer/diensten/1", data=form_data(name="Poetsdienst Zonnestraal")
    )
    assert response.status_code == 302
    assert found("zonnestraal") == ["Poetsdienst Zonnestraal"]
    assert "Bewaard." in regisseur.get(response.headers["Location"]).get_data(as_text=True)


def test_a_new_service_is_findable_at_once(regisseur):
    response = regisseur.post(
        "/gent/beheer/diensten/nieuw",
        data=form_data(
            name="Strijkatelier De Plooi",
            categories=["strijkatelier"],
            description="Breng uw strijk binnen.",
            external_id="",
        ),
    )
    assert response.status_code == 302
    assert found("strijk") == ["Strijkatelier De Plooi"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Geef de dienst een naam."),
        ({"categories": None}, "Kies minstens één soort dienst."),
        ({"served_region": None}, "Kies minstens één gemeente waar de dienst werkt."),
        ({"phone": "bel me"}, "is geen telefoonnummer"),
        ({"email": "geen-adres"}, "is geen geldig e-mailadres"),
        ({"website": "niet een site"}, "is geen geldig webadres"),
        ({"postcode": "8500"}, "Postcode 8500 hoort niet bij Gent maar bij Kortrijk."),
        ({"postcode": "12"}, "is geen Belgische postcode"),
        ({"served_other": "Gnet"}, "Onbekende gemeente &#39;Gnet&#39; (bedoelt u Gent?)."),
        (
            {"categories": ["tuinonderhoud"]},
            "Dienstencheques kunnen niet betalen voor deze categorie.",
        ),
        ({"provider_id": "0"}, "Kies de aanbieder."),
    ],
)
def test_bad_input_is_explained_and_kept(regisseur, changes, message):
    data = form_data(name="Mijn nieuwe naam", **{k: v for k, v in changes.items() if k != "name"})
    if "name" in changes:
        data["name"] = changes["name"]
    response = regisseur.post(
        "/gent/beheer/diensten/1", data={k: v for k, v in data.items() if v is not None}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Er is een probleem" in page
    assert message in page
    if "name" not in changes:
        assert 'value="Mijn nieuwe naam"' in page  # nothing typed is lost
    assert db.session.get(Service, 1).name == "Poetsdienst De Bezem"  # nothing saved


def test_other_served_municipalities_by_name(regisseur):
    regisseur.post(
        "/gent/beheer/diensten/1", data=form_data(served_other="Merelbeke-Melle; Destelbergen")
    )
    names = sorted(m.name for m in db.session.get(Service, 1).municipalities)
    assert names == ["Destelbergen", "Gent", "Merelbeke-Melle"]


def test_preview_shows_the_service_as_residents_will(regisseur):
    page = regisseur.get("/gent/beheer/diensten/1/voorbeeld").get_data(as_text=True)
    assert "zo zien inwoners deze dienst" in page
    assert "Door Vzw Proper Thuis" in page


def test_archive_asks_first_then_hides_and_restore_brings_back(regisseur):
    confirm = regisseur.get("/gent/beheer/diensten/1/archiveren")
    assert "archiveren?" in confirm.get_data(as_text=True)
    assert db.session.get(Service, 1).status == "active"  # the GET changed nothing
    regisseur.post("/gent/beheer/diensten/1/archiveren")
    assert found("poetsen") == []
    assert regisseur.get("/gent/diensten/1").status_code == 404
    archived = regisseur.get("/gent/beheer/diensten?status=archived").get_data(as_text=True)
    assert "Poetsdienst De Bezem" in archived
    regisseur.post("/gent/beheer/diensten/1/herstellen")
    assert found("poetsen") == ["Poetsdienst De Bezem"]


def test_archiving_a_provider_archives_its_services_after_listing_them(regisseur):
    page = regisseur.get("/gent/beheer/aanbieders/1/archiveren").get_data(as_text=True)
    assert "Poetsdienst De Bezem" in page
    regisseur.post("/gent/beheer/aanbieders/1/archiveren")
    assert db.session.get(Provider, 1).status == "archived"
    assert found("poetsen") == []


def test_provider_form_checks_its_address_and_unique_name(regisseur):
    page = regisseur.post(
        "/gent/beheer/aanbieders/nieuw",
        data={"name": "Vzw Proper Thuis", "postcode": "9000", "town": "Kortrijk"},
    ).get_data(as_text=True)
    assert "Er is al een aanbieder met deze naam in deze dienstenwijzer." in page
    assert "Postcode 9000 hoort niet bij Kortrijk maar bij Gent." in page
    ok = regisseur.post(
        "/gent/beheer/aanbieders/nieuw", data={"name": "Buurtwerk De Brug", "postcode": "9040"}
    )
    assert ok.status_code == 302
    assert (
        db.session.scalar(
            select(Provider).where(Provider.name == "Buurtwerk De Brug")
        ).municipality.name
        == "Gent"
    )


def test_renaming_a_provider_is_findable_at_once(regisseur):
    regisseur.post(
        "/gent/beheer/aanbieders/1", data={"name": "Vzw Glans", "postcode": "9000", "town": "Gent"}
    )
    assert found("glans") == ["Poetsdienst De Bezem"]


def test_service_list_filters(regisseur, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="b",
                naam="Groenploeg",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                aanbieder="Groen vzw",
            )
        ],
    )
    page = regisseur.get("/gent/beheer/diensten?categorie=groen").get_data(as_text=True)
    assert "Groenploeg" in page and "Poetsdienst De Bezem" not in page
    page = regisseur.get("/gent/beheer/diensten?q=groen+vzw").get_data(as_text=True)
    assert "Groenploeg" in page
    page = regisseur.get("/gent/beheer/diensten?q=niets+zoals+dit").get_data(as_text=True)
    assert "Geen diensten gevonden met deze filters" in page


def test_every_change_is_in_the_audit_trail(regisseur):
    regisseur.post(
        "/gent/beheer/diensten/1",
        data=form_data(name="Poetsdienst Zonnestraal", phone="09 000 11 22"),
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "service").order_by(AuditEntry.id)
    ).all()[-1]
    assert entry.actor == "regisseur@gent.example"
    assert entry.action == "update"
    assert entry.changes["name"] == ["Poetsdienst De Bezem", "Poetsdienst Zonnestraal"]
    assert entry.changes["phone"] == [None, "09 000 11 22"]
    page = regisseur.get("/gent/beheer/geschiedenis?soort=service&id=1").get_data(as_text=True)
    assert "Poetsdienst Zonnestraal" in page and "regisseur@gent.example" in page
    region_page = regisseur.get("/gent/beheer/geschiedenis").get_data(as_text=True)
    assert "aangemaakt" in region_page and "gewijzigd" in region_page
