"""Public ids: UUIDs stored in the database, the same after a reindex, a re-import and a move."""

import uuid

from sqlalchemy import select, text

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import Category, Provider, Service
from tests.conftest import csv_text, import_rows, service_row


def _ids(client, prefix="/gent/api/v1"):
    return {
        s["name"]: (s["id"], s["organization"]["id"])
        for s in client.get(f"{prefix}/services?per_page=50").get_json()["contents"]
    }


def test_services_and_providers_have_stored_uuids(client, add_services):
    add_services(
        "gent", [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijkdienst")]
    )
    services = db.session.scalars(select(Service)).all()
    assert len({s.uuid for s in services}) == 2 and len({s.location_uuid for s in services}) == 2
    assert all(uuid.UUID(s.uuid).version == 4 for s in services)
    listed = _ids(client)
    assert listed["Poetsdienst De Bezem"][0] == db.session.scalar(
        select(Service.uuid).where(Service.external_id == "a")
    )
    assert listed["Poetsdienst De Bezem"][1] == db.session.scalar(select(Provider.uuid))


def test_ids_stay_the_same_after_reindex_and_reimport(client, add_services):
    rows = [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijkdienst")]
    add_services("gent", rows)
    before = _ids(client)
    search.rebuild_index()
    assert _ids(client) == before
    rows[0]["omschrijving"] = "Nieuwe omschrijving: wij poetsen ook ramen aan de binnenkant."
    import_rows("gent", rows)
    assert _ids(client) == before
    detail = client.get(f"/gent/api/v1/services/{before['Poetsdienst De Bezem'][0]}").get_json()
    assert detail["description"].startswith("Nieuwe omschrijving")


def test_a_service_in_two_zorggebieden_has_one_id_and_flanders_lists_it_once(client, add_services):
    add_services("gent", [service_row(extern_id="a", gemeenten="Gent;Kortrijk")])
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id="k",
                naam="Tuinploeg",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                postcode="8500",
                gemeente="Kortrijk",
                gemeenten="Kortrijk",
                aanbieder="Groen Werk",
            )
        ],
    )
    gent, kortrijk = _ids(client, "/gent/api/v1"), _ids(client, "/kortrijk/api/v1")
    assert gent["Poetsdienst De Bezem"] == kortrijk["Poetsdienst De Bezem"]
    assert "Tuinploeg" not in gent
    flanders = client.get("/api/v1/services?per_page=50").get_json()
    assert flanders["total_items"] == 2
    assert sorted(s["name"] for s in flanders["contents"]) == ["Poetsdienst De Bezem", "Tuinploeg"]
    sid = gent["Poetsdienst De Bezem"][0]
    for prefix in ("/gent/api/v1", "/kortrijk/api/v1", "/api/v1"):
        assert client.get(f"{prefix}/services/{sid}").get_json()["id"] == sid
    # Not published where it is not offered.
    assert client.get(f"/leuven/api/v1/services/{sid}").status_code == 404


def test_taxonomy_term_ids_are_the_same_on_every_install(client):
    """Name-based (uuid5) under the project's namespace: pinned, so no install can drift."""
    poetsen = client.get("/api/v1/taxonomy_terms?per_page=50").get_json()["contents"]
    by_code = {t["code"]: t["id"] for t in poetsen}
    assert by_code["poetsen"] == "da058e69-b043-5c49-a9f4-1bf50ab0c390"
    assert db.session.get(Category, "poetsen").uuid == by_code["poetsen"]
    assert client.get("/gent/api/v1/taxonomy_terms?per_page=50").get_json()["contents"] == poetsen


def test_the_migration_gives_existing_rows_their_ids(tmp_path):
    from flask_migrate import upgrade

    from dienstenwijzer import MIGRATIONS_DIR, create_app

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0006_import_jobs")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO region (id, slug, name, centre_lat, centre_lon, demo_catalogue) "
                    "VALUES (1, 'gent', 'Gent', 51.05, 3.72, 0)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO category (id, label, description, position) "
                    "VALUES ('poetsen', 'Poetsen', '', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO provider (id, region_id, name, status, created_at, updated_at) "
                    "VALUES (1, 1, 'Vzw', 'active', '2026-01-01', '2026-01-01')"
                )
            )
            for sid in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO service (id, region_id, provider_id, name, description, "
                        "dienstencheques, status, last_checked, created_at, updated_at) VALUES "
                        f"({sid}, 1, 1, 'Dienst {sid}', 'x', 0, 'active', '2026-01-01', '2026-01-01', '2026-01-01')"
                    )
                )
        upgrade(directory=MIGRATIONS_DIR, revision="heads")
        with db.engine.connect() as conn:
            services = conn.execute(text("SELECT uuid, location_uuid FROM service")).all()
            provider = conn.execute(text("SELECT uuid FROM provider")).scalar()
            category = conn.execute(text("SELECT uuid FROM category")).scalar()
        db.engine.dispose()
    ids = [u for row in services for u in row] + [provider]
    assert len(set(ids)) == 5 and all(uuid.UUID(u) for u in ids)
    assert category == "da058e69-b043-5c49-a9f4-1bf50ab0c390"


def _published_ids(client) -> dict[str, tuple]:
    """Per service name: its id, its organization's id, its service_at_location's and location's."""
    ids = {}
    for s in client.get("/gent/api/v1/services?full=true&per_page=50").get_json()["contents"]:
        places = [(sal["id"], sal["location_id"]) for sal in s.get("service_at_locations", [])]
        ids[s["name"]] = (s["id"], s["organization"]["id"], places)
    return ids


def test_ids_survive_the_reindex_command_and_importing_the_same_and_an_edited_csv(
    app, client, tmp_path
):
    """What an operator does: import, `reindex`, import the same file, then an edited one.
    A harvester keyed on our ids must see the same services, providers and places throughout."""
    runner = app.test_cli_runner()
    path = tmp_path / "aanbod.csv"
    rows = [
        service_row(extern_id="a"),
        service_row(extern_id="b", naam="Strijkdienst", straat="Markt 5"),
    ]
    path.write_text(csv_text(rows))
    assert runner.invoke(args=["import", str(path), "--region", "gent"]).exit_code == 0
    first = _published_ids(client)
    assert len(first) == 2 and all(places for _, _, places in first.values())

    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert _published_ids(client) == first
    result = runner.invoke(args=["import", str(path), "--region", "gent"])
    assert "0 nieuw" in result.output, result.output
    assert _published_ids(client) == first

    rows[1].update(straat="Veldstraat 20", omschrijving="Wij strijken nu ook op zaterdag.")
    path.write_text(csv_text(rows))
    result = runner.invoke(args=["import", str(path), "--region", "gent"])
    assert "1 bijgewerkt" in result.output, result.output
    assert _published_ids(client) == first
    moved = client.get(f"/gent/api/v1/services/{first['Strijkdienst'][0]}").get_json()
    address = moved["service_at_locations"][0]["location"]["addresses"][0]
    assert address["address_1"] == "Veldstraat 20"
