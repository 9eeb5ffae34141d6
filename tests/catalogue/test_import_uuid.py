"""The CSV export carries each service's public id (uuid); importing it back matches on that id
first, so the open-data API's ids stay the same through export → edit → import, also when the
file goes to another install."""

import csv
import io
import uuid

import pytest
from sqlalchemy import func, select

from dienstenwijzer.catalogue.export import export_csv
from dienstenwijzer.catalogue.importer import apply_import, plan_import
from dienstenwijzer.db import db
from dienstenwijzer.models import Region, Service
from dienstenwijzer.places import Places
from tests.conftest import service_row


def _region(slug: str) -> Region:
    return db.session.scalar(select(Region).where(Region.slug == slug))


def _export(slug: str = "gent") -> list[dict]:
    text = export_csv(db.session, _region(slug)).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _plan(rows: list[dict], slug: str = "gent"):
    return plan_import(db.session, _region(slug), _csv(rows), Places(db.session))


def _import(rows: list[dict], slug: str = "gent"):
    plan = _plan(rows, slug)
    assert plan.ok, [str(e) for e in plan.errors]
    summary = apply_import(db.session, _region(slug), plan)
    db.session.commit()
    return summary


def _ids() -> dict[str, str]:
    return dict(db.session.execute(select(Service.name, Service.uuid)).all())


@pytest.fixture
def catalogue(add_services):
    # One service with its own extern_id, one without (the export names it "dw-<id>").
    add_services(
        "gent",
        [service_row(extern_id="p-1"), service_row(naam="Strijkdienst", categorie="strijkatelier")],
    )


def test_the_export_carries_each_services_api_id(client, catalogue):
    rows = _export()
    assert {r["naam"]: r["uuid"] for r in rows} == _ids()
    for row in rows:
        assert client.get(f"/gent/api/v1/services/{row['uuid']}").get_json()["name"] == row["naam"]


def test_export_edit_import_keeps_the_ids(app, catalogue):
    before = _ids()
    rows = _export()
    for row in rows:
        row["naam"] += " (nieuw)"
        row["extern_id"] = ""  # even without the extern_id, the uuid finds the service
    summary = _import(rows)
    assert (summary.created, summary.updated) == (0, 2)
    assert _ids() == {f"{name} (nieuw)": public_id for name, public_id in before.items()}


def test_the_uuid_decides_before_the_extern_id(app, catalogue):
    rows = _export()
    # Swap the extern_ids: each row still updates the service its uuid names.
    rows[0]["extern_id"], rows[1]["extern_id"] = rows[1]["extern_id"], rows[0]["extern_id"]
    rows[0]["omschrijving"] = "Nieuwe omschrijving van de poetsdienst, met meer uitleg."
    before = _ids()
    _import(rows)
    assert _ids() == before
    poetsdienst = db.session.scalar(select(Service).where(Service.uuid == rows[0]["uuid"]))
    assert poetsdienst.description == "Nieuwe omschrijving van de poetsdienst, met meer uitleg."


def test_a_file_from_another_install_keeps_its_ids(app, catalogue):
    public_id = str(uuid.uuid4())
    row = {
        **_export()[1],
        "uuid": public_id,
        "naam": "Klusdienst",
        "extern_id": "dw-1",
    }  # "dw-1" is another install's internal id: it means nothing here
    summary = _import([row])
    assert (summary.created, summary.updated) == (1, 0)
    assert _ids()["Klusdienst"] == public_id
    assert db.session.scalar(select(func.count(Service.id))) == 3


def test_a_uuid_of_another_zorggebied_or_not_a_uuid_is_a_row_error(app, catalogue, add_services):
    add_services(
        "kortrijk",
        [service_row(extern_id="k", gemeenten="Kortrijk", postcode="8500", gemeente="Kortrijk")],
    )
    [theirs] = _export("kortrijk")
    ours = _export()
    ours[0]["uuid"] = theirs["uuid"]
    ours[1]["uuid"] = "1234"
    plan = _plan(ours)
    assert [str(e) for e in plan.errors] == [
        (
            "regel 3, kolom uuid: is geen geldige id: laat de kolom uuid uit een export staan zoals "
            "ze is, of maak ze leeg voor een nieuwe dienst"
        ),
        f"regel 2, kolom uuid: '{theirs['uuid']}' is de id van een dienst van een ander zorggebied",
    ]


def test_the_same_uuid_twice_in_one_file_is_a_row_error(app, catalogue):
    rows = _export()
    rows[1]["uuid"] = rows[0]["uuid"].upper()  # the same id, written differently
    rows[1]["extern_id"] = "p-2"
    assert [str(e) for e in _plan(rows).errors] == [
        f"regel 3, kolom uuid: '{rows[0]['uuid']}' staat ook al op regel 2"
    ]
