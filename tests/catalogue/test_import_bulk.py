"""What a large import leaves behind: audited services, outbox rows, and an index that is caught
up by a rebuild beside the live one when the change is large (search/rebuild.catch_up)."""

import importlib

from sqlalchemy import func, select

from dienstenwijzer import search
from dienstenwijzer.audit import set_actor
from dienstenwijzer.catalogue.importer import apply_import, plan_import
from dienstenwijzer.db import db
from dienstenwijzer.models import AuditEntry, IndexOutbox, Region, Service
from dienstenwijzer.places import Places
from dienstenwijzer.search import SearchRequest, selfcheck
from tests.conftest import csv_text, service_row

rebuild = importlib.import_module("dienstenwijzer.search.rebuild")


def import_file(rows: list[dict]):
    """As `dienstenwijzer import` does: check, write, commit, then catch the index up."""
    region = db.session.scalar(select(Region).where(Region.slug == "gent"))
    set_actor(None, "import test.csv (opdrachtregel)")
    plan = plan_import(db.session, region, csv_text(rows), Places(db.session))
    assert plan.ok, [str(e) for e in plan.errors]
    summary = apply_import(db.session, region, plan)
    db.session.commit()
    search.catch_up_after_bulk(summary.created + summary.updated, wait=5)
    return summary


def names(text: str) -> list[str]:
    return sorted(h.name for h in search.search("gent", SearchRequest(text=text)).hits)


def test_each_imported_service_is_audited_as_created_with_what_it_holds(app):
    import_file(
        [
            service_row(
                extern_id="a",
                naam="Strijkatelier Plooi",
                categorie="strijkatelier",
                dienstencheques="nee",
                gemeenten="Gent;Evergem",
                telefoon="09 123 45 67",
            ),
        ]
    )
    service = db.session.scalar(select(Service).where(Service.external_id == "a"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "service"))
    assert (entry.entity_id, entry.action, entry.region_id) == (
        service.id,
        "create",
        service.region_id,
    )
    assert entry.actor == "import test.csv (opdrachtregel)"
    changes = entry.changes
    assert changes["name"] == [None, "Strijkatelier Plooi"]
    assert changes["provider"] == [None, "Vzw Proper Thuis"]
    assert changes["categories"] == [None, ["strijkatelier"]]
    assert changes["municipalities"] == [None, sorted(m.nis_code for m in service.municipalities)]
    assert changes["phone"] == [None, "09 123 45 67"]
    assert changes["last_checked"] == [None, service.last_checked.isoformat()]
    assert changes["dienstencheques"] == [None, False]
    assert "website" not in changes and "email" not in changes  # empty: not recorded
    assert db.session.scalar(select(func.count()).select_from(IndexOutbox)) == 1


def test_a_reimport_that_changes_a_service_is_audited_as_an_update(app):
    import_file([service_row(extern_id="a")])
    import_file([service_row(extern_id="a", naam="Poetsdienst De Nieuwe Bezem")])
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "service").order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["name"] == ["Poetsdienst De Bezem", "Poetsdienst De Nieuwe Bezem"]


def test_a_large_import_is_indexed_by_a_rebuild_swapped_in_beside_the_live_index(app, monkeypatch):
    monkeypatch.setattr(rebuild, "BULK_REBUILD_MIN_CHANGES", 3)
    import_file([service_row(extern_id="old", naam="Poetsdienst Oud")])
    store = app.extensions["search"].store
    live = store.current_path()
    import_file([service_row(extern_id=f"n{i}", naam=f"Zonnebloem {i}") for i in range(4)])
    assert store.current_path() != live  # a new generation
    assert names("zonnebloem") == [f"Zonnebloem {i}" for i in range(4)]
    assert "Poetsdienst Oud" in names("poetsdienst oud")
    drifts = selfcheck.compare(db.session, store.current())
    assert all(d.ok for d in drifts)
    # Later edits follow the outbox into the new generation as usual.
    import_file([service_row(extern_id="n0", naam="Zonnebloem Hernoemd")])
    assert names("hernoemd") == ["Zonnebloem Hernoemd"]


def test_a_small_import_is_applied_to_the_live_index(app, monkeypatch):
    monkeypatch.setattr(rebuild, "BULK_REBUILD_MIN_CHANGES", 3)
    import_file([service_row(extern_id=f"n{i}", naam=f"Zonnebloem {i}") for i in range(20)])
    store = app.extensions["search"].store
    live = store.current_path()
    summary = import_file(
        [service_row(extern_id=f"m{i}", naam=f"Madeliefje {i}") for i in range(4)]
    )
    assert summary.created == 4  # 4 of 24 services: below the share that rebuilds
    assert store.current_path() == live
    assert names("madeliefje") == [f"Madeliefje {i}" for i in range(4)]
