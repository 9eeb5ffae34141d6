"""HSDS list parameters: what a harvester filters on, syncs with and pages through."""

import datetime as dt
import urllib.parse

import pytest
from sqlalchemy import select

from dienstenwijzer import search
from dienstenwijzer.catalogue import editing
from dienstenwijzer.db import db
from dienstenwijzer.models import Service
from tests.conftest import service_row


@pytest.fixture
def catalogue(add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="1", naam="Poetshulp aan huis"),
            service_row(
                extern_id="2",
                naam="Strijkatelier",
                categorie="strijkatelier",
                omschrijving="Breng uw strijk binnen.",
            ),
            service_row(
                extern_id="3",
                naam="Klusjesdienst",
                categorie="klusjesdienst",
                dienstencheques="nee",
                aanbieder="OCMW Gent",
                omschrijving="Kleine herstellingen.",
                gemeenten="Gent",
                straat="Dorp 1",
                postcode="9820",
                gemeente="Merelbeke-Melle",
            ),
        ],
    )


def _names(client, query: str, prefix: str = "/gent/api/v1") -> list[str]:
    response = client.get(f"{prefix}/services?{query}")
    assert response.status_code == 200, response.get_json()
    return sorted(s["name"] for s in response.get_json()["contents"])


def _term(client, code: str) -> str:
    terms = client.get("/api/v1/taxonomy_terms?per_page=50").get_json()["contents"]
    terms += client.get("/api/v1/taxonomy_terms?per_page=50&page=2").get_json()["contents"]
    return next(t["id"] for t in terms if t["code"] == code)


def test_taxonomy_term_and_taxonomy(client, catalogue):
    assert _names(client, f"taxonomy_term_id={_term(client, 'strijkatelier')}") == ["Strijkatelier"]
    taxonomy = client.get("/api/v1/taxonomies").get_json()["contents"][0]["id"]
    assert len(_names(client, f"taxonomy_id={taxonomy}")) == 3
    assert _names(client, "taxonomy_id=3f7b145d-84af-42d7-8fae-eaca714b02b2") == []
    # With search, the term filters the index's results the same way.
    assert _names(client, f"search=strijk&taxonomy_term_id={_term(client, 'poetsen')}") == []


def test_a_top_term_finds_the_services_of_its_subterms(client, catalogue):
    poetsen = client.get(f"/api/v1/taxonomy_terms/{_term(client, 'poetsen')}").get_json()
    assert poetsen["parent_id"] and poetsen["taxonomy_detail"]["name"] == "Dienstenwijzer"
    assert "Poetshulp aan huis" in _names(client, f"taxonomy_term_id={poetsen['parent_id']}")


def test_organization(client, catalogue):
    ocmw = next(
        o
        for o in client.get("/gent/api/v1/organizations").get_json()["contents"]
        if o["name"] == "OCMW Gent"
    )
    assert _names(client, f"organization_id={ocmw['id']}") == ["Klusjesdienst"]
    full = client.get(f"/gent/api/v1/organizations/{ocmw['id']}").get_json()
    assert full["locations"][0]["addresses"][0]["postal_code"] == "9820"


def test_postcode_filters_on_service_area_and_proximity_on_distance(client, catalogue):
    """All three serve Gent; the Klusjesdienst has its office in Merelbeke, about 5 km away."""
    assert len(_names(client, "postcode=9000")) == 3
    assert _names(client, "postcode=9820") == []  # nobody serves Merelbeke-Melle
    assert _names(client, "postcode=9000&proximity=2000") == ["Poetshulp aan huis", "Strijkatelier"]
    assert len(_names(client, "postcode=9000&proximity=15000")) == 3
    assert _names(client, "search=herstellingen&postcode=9000") == ["Klusjesdienst"]
    assert _names(client, "search=herstellingen&postcode=9820") == []
    assert _names(client, "search=herstellingen&postcode=9000&proximity=2000") == []


def test_modified_after_sees_an_edit_and_an_archive(client, catalogue):
    since = urllib.parse.quote(dt.datetime.now(dt.UTC).isoformat())
    assert _names(client, f"modified_after={since}", "/api/v1") == []
    strijk, klusjes = (
        db.session.scalar(select(Service).where(Service.external_id == x)) for x in "23"
    )
    strijk.price = "€ 1 per stuk"
    editing.archive_service(db.session, klusjes)
    db.session.commit()
    search.sync(wait=5)
    changed = client.get(f"/api/v1/services?modified_after={since}").get_json()["contents"]
    assert {s["name"]: s["status"] for s in changed} == {
        "Strijkatelier": "active",
        "Klusjesdienst": "inactive",
    }
    # Gone from residents' search, still published for harvesters.
    assert _names(client, "search=herstellingen") == []
    archived = next(s["id"] for s in changed if s["status"] == "inactive")
    gone = client.get(f"/gent/api/v1/services/{archived}")
    assert gone.get_json()["status"] == "inactive" and "dienstenwijzer_url" not in gone.get_json()


def test_modified_after_reads_an_offset_left_unencoded(client, catalogue):
    """ "+01:00" sent without URL-encoding arrives as " 01:00"; it still means the offset."""
    assert len(_names(client, "modified_after=2000-01-01T00:00:00+01:00", "/api/v1")) == 3
    assert _names(client, "modified_after=2999-01-01T00:00:00%2B01:00", "/api/v1") == []


def test_minimal_gives_what_a_harvester_needs_to_sync(client, catalogue):
    items = client.get("/api/v1/services?minimal=true").get_json()["contents"]
    assert items and all(set(i) == {"id", "name", "status", "last_modified"} for i in items)


def test_pages_follow_the_hsds_invariants(client, catalogue):
    seen, page = [], 1
    while True:
        body = client.get(f"/api/v1/services?per_page=2&page={page}").get_json()
        assert body["total_items"] == 3 and body["total_pages"] == 2
        assert body["size"] == len(body["contents"]) <= 2
        assert body["first_page"] == (page == 1) and body["last_page"] == (page >= 2)
        assert body["empty"] == (body["size"] == 0)
        seen += [s["id"] for s in body["contents"]]
        if body["last_page"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 3
    past = client.get("/api/v1/services?per_page=2&page=7").get_json()
    assert past["empty"] and past["page_number"] == 7 and past["total_items"] == 3
    nothing = client.get(
        "/api/v1/services?taxonomy_id=3f7b145d-84af-42d7-8fae-eaca714b02b2"
    ).get_json()
    assert (
        nothing["empty"]
        and nothing["total_pages"] == 1
        and nothing["first_page"]
        and nothing["last_page"]
    )


def test_flanders_refuses_a_text_search_with_a_pointer(client, catalogue):
    response = client.get("/api/v1/services?search=poetsen")
    assert (
        response.status_code == 400
        and "/<gebied>/api/v1/" in response.get_json()["error"]["fields"]["search"][0]
    )


@pytest.mark.parametrize(
    "path", ["services", "organizations", "taxonomy_terms", "service_at_locations", "taxonomies"]
)
def test_an_unknown_or_malformed_id_is_a_json_404(client, catalogue, path):
    for bad in ("3f7b145d-84af-42d7-8fae-eaca714b02b2", "1", "niets"):
        response = client.get(f"/gent/api/v1/{path}/{bad}")
        assert response.status_code == 404 and response.is_json
