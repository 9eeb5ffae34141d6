"""The Flemish `reach` extension (issue 12): with `postcode`, each service says whether it comes
to that municipality ("Komt naar Merelbeke-Melle") or how far its address is ("Op 7 km")."""

import json

import jsonschema
import pytest

from tests.conftest import service_row


@pytest.fixture
def catalogue(add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="1", naam="Poetshulp Proper", gemeenten="Gent;Merelbeke-Melle"),
            service_row(
                extern_id="2",
                naam="Strijkatelier De Plooi",
                categorie="strijkatelier",
                omschrijving="Breng uw strijk binnen; wij poetsen ook.",
            ),
            service_row(
                extern_id="3",
                naam="Poetsploeg Thuis",
                straat="",
                postcode="",
                gemeente="",
                gemeenten="Gent;Merelbeke-Melle",
            ),
        ],
    )


def _by_name(client, query: str, prefix: str = "/gent/api/v1") -> dict[str, dict]:
    response = client.get(f"{prefix}/services?{query}")
    assert response.status_code == 200, response.get_json()
    return {s["name"]: s for s in response.get_json()["contents"]}


def _reach_schema(client) -> dict:
    doc = client.get("/gent/api/v1/openapi.json").get_json()
    reach = doc["components"]["schemas"]["Reach"]
    assert reach["x-dienstenwijzer"] is True
    assert doc["components"]["schemas"]["ServiceExtensions"]["properties"]["reach"] == {
        "$ref": "#/components/schemas/Reach"
    }
    return reach


MERELBEKE = [{"nis_code": "44088", "name": "Merelbeke-Melle"}]


def test_each_service_says_whether_it_comes_there_or_how_far_it_is(client, catalogue):
    found = _by_name(client, "postcode=9820&proximity=20000")
    assert {"Poetshulp Proper", "Strijkatelier De Plooi"} <= set(found)
    comes = found["Poetshulp Proper"]["reach"]
    near = found["Strijkatelier De Plooi"]["reach"]
    assert comes["postcode"] == "9820" and comes["comes_there"] is True
    assert comes["municipalities"] == MERELBEKE
    assert near["comes_there"] is False and near["municipalities"] == []
    # Both have their address in Gent (9000), a few km from Merelbeke's centre.
    assert 3 < near["distance_km"] < 12 and near["distance_km"] == comes["distance_km"]
    schema = _reach_schema(client)
    for item in found.values():
        jsonschema.validate(item["reach"], schema)


def test_postcode_alone_lists_what_comes_there_and_a_service_without_address_has_no_distance(
    client, catalogue
):
    found = _by_name(client, "postcode=9820&full=true")
    assert set(found) == {"Poetshulp Proper", "Poetsploeg Thuis"}
    assert all(s["reach"]["comes_there"] for s in found.values())
    assert "distance_km" not in found["Poetsploeg Thuis"]["reach"]
    assert "distance_km" in found["Poetshulp Proper"]["reach"]
    # Flanders' API says the same.
    assert (
        _by_name(client, "postcode=9820", prefix="/api/v1")["Poetsploeg Thuis"]["reach"][
            "municipalities"
        ]
        == MERELBEKE
    )


def test_the_search_says_it_too_and_nothing_is_said_without_a_postcode(client, catalogue):
    found = _by_name(client, "search=poetsen&postcode=9820&km=20")
    assert found["Poetshulp Proper"]["reach"]["comes_there"] is True
    assert found["Poetsploeg Thuis"]["reach"]["comes_there"] is True
    assert found["Strijkatelier De Plooi"]["reach"]["comes_there"] is False
    assert "reach" not in _by_name(client, "search=poetsen")["Poetshulp Proper"]
    assert "reach" not in _by_name(client, "")["Poetshulp Proper"]
    assert "reach" not in _by_name(client, "postcode=9820&minimal=true")["Poetshulp Proper"]


def test_the_bulk_download_for_a_postcode_carries_it(client, catalogue):
    lines = client.get("/gent/api/v1/services?format=ndjson&postcode=9820").get_data(as_text=True)
    items = {s["name"]: s for s in map(json.loads, lines.splitlines())}
    assert set(items) == {"Poetshulp Proper", "Poetsploeg Thuis"}
    assert items["Poetsploeg Thuis"]["reach"] == {
        "postcode": "9820",
        "comes_there": True,
        "municipalities": MERELBEKE,
    }
