"""Each host compares its index with the database and repairs drift by itself."""

import datetime as dt

from flask import current_app
from sqlalchemy import delete, select, update

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import Service, service_municipalities
from dienstenwijzer.search import SearchRequest
from dienstenwijzer.search.documents import DocumentBuilder
from tests.conftest import service_row


def found(text: str, region: str = "gent") -> list[str]:
    return sorted(h.name for h in search.search(region, SearchRequest(text=text, per_page=50)).hits)


def drift_of(region: str):
    return next(d for d in search.check_index() if d.slug == region)


def test_an_index_that_follows_the_outbox_equals_the_database(app, add_services):
    add_services("gent", [service_row(extern_id=str(i)) for i in range(4)])
    service = db.session.scalar(select(Service))
    service.municipalities = []  # only a collection changes: still a new version
    db.session.commit()
    search.sync()
    drifts = search.check_index()
    assert all(d.ok for d in drifts), [(d.slug, d.missing, d.stale, d.extra) for d in drifts]
    gent = drift_of("gent")
    assert len(gent.database) == 3 and search.checksum(gent.database) == search.checksum(gent.index)


def test_changes_made_behind_the_outbox_are_found_and_repaired(app, add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="a", naam="Poetsdienst Een"),
            service_row(extern_id="b", naam="Poetsdienst Twee"),
            service_row(extern_id="c", naam="Poetsdienst Drie"),
        ],
    )
    one, two, three = db.session.scalars(select(Service).order_by(Service.id)).all()
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=1)
    # Plain SQL writes no outbox rows: as if a crash came between commit and apply.
    db.session.execute(
        update(Service)
        .where(Service.id == one.id)
        .values(name="Strijkdienst Een", updated_at=later)
    )
    db.session.execute(
        delete(service_municipalities).where(service_municipalities.c.service_id == two.id)
    )
    db.session.commit()
    db.session.expire_all()
    search.sync()
    gent = drift_of("gent")
    assert (gent.missing, gent.stale, gent.extra) == (set(), {one.id}, {two.id})
    assert search.checksum(gent.database) != search.checksum(gent.index)
    assert "Poetsdienst Twee" in found("poetsdienst")  # residents would still see it

    search.check_index(repair_drift=True)
    assert drift_of("gent").ok
    assert found("poetsen") == ["Poetsdienst Drie", "Strijkdienst Een"]  # Twee serves no one
    assert found("strijkdienst") == ["Strijkdienst Een"]
    assert three.id in drift_of("gent").index


def test_a_lost_document_is_put_back(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    service_id = db.session.scalar(select(Service.id))
    generation = current_app.extensions["search"].store.current()
    writer = generation.open_region("gent").writer()
    writer.delete_by_term("id", str(service_id))
    writer.commit()
    assert found("poetsen") == []
    assert drift_of("gent").missing == {service_id}
    search.check_index(repair_drift=True)
    assert found("poetsen") == ["Poetsdienst De Bezem"]


def test_a_service_indexed_twice_is_written_once_again(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    service_id = db.session.scalar(select(Service.id))
    generation = current_app.extensions["search"].store.current()
    builder = DocumentBuilder(db.session)
    [doc] = builder.documents_by_region(builder.load([service_id]))["gent"]
    writer = generation.open_region("gent").writer()
    writer.add_document(**doc)  # as a crash halfway through a rewrite might leave it
    writer.commit()
    assert drift_of("gent").stale == {service_id}
    search.check_index(repair_drift=True)
    assert drift_of("gent").ok
    assert len(search.search("gent", SearchRequest(text="poetsen")).hits) == 1


def test_check_index_prints_the_comparison_and_fails_on_drift(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 0, result.output
    assert "Gent" in result.output and "in orde" in result.output

    db.session.execute(delete(Service))
    db.session.commit()
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1
    assert "1 te veel" in result.output
    result = runner.invoke(args=["check-index", "--repair"])
    assert result.exit_code == 0, result.output
    assert "hersteld" in result.output
    assert drift_of("gent").ok


def test_an_index_built_by_another_version_is_never_written_and_is_rebuilt(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    generation = current_app.extensions["search"].store.current()
    (generation.path / "format").write_text("schema 1, analysis 0\n")
    service = db.session.scalar(select(Service))
    service.name = "Poetsploeg Nieuw"
    db.session.commit()
    assert search.sync() == 0  # not written into an index of another format
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 1 and "andere versie" in result.output
    assert runner.invoke(args=["reindex"]).exit_code == 0
    assert found("nieuw") == ["Poetsploeg Nieuw"]
    assert all(d.ok for d in search.check_index())
