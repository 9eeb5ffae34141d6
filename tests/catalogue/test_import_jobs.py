"""Web imports as background jobs: big files finish, all or nothing, one worker per job, scoped."""

import datetime as dt
import io
import threading

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from dienstenwijzer import search
from dienstenwijzer.catalogue import import_jobs
from dienstenwijzer.catalogue.import_jobs import claim_next, create_job, run_pending_jobs
from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.models import (
    AuditEntry,
    ImportJob,
    ImportJobChunk,
    IndexOutbox,
    Region,
    Service,
)
from dienstenwijzer.search import SearchRequest
from tests.conftest import csv_text, login, service_row


@pytest.fixture
def regisseur(client, staff):
    login(client, "regisseur@gent.example")
    return client


def big_file(rows: int, bad_row: int | None = None) -> bytes:
    """`rows` short services for Gent; row number `bad_row` (1-based) has an unknown category."""
    return csv_text(
        [
            service_row(
                extern_id=f"k{i}",
                naam=f"Kangoeroedienst {i}",
                omschrijving="Wij passen op uw kinderen.",
                categorie="ruimtevaart" if i + 1 == bad_row else "kinderopvang",
                dienstencheques="nee",
                straat="",
                postcode="",
                gemeente="",
            )
            for i in range(rows)
        ]
    ).encode()


def upload(client, data: bytes, name: str = "aanbod.csv") -> str:
    # Encoded in memory: the test client would spool a big body to a file it never closes.
    upload = FileStorage(io.BytesIO(data), filename=name, content_type="text/csv")
    boundary, body = encode_multipart({"file": upload})
    response = client.post(
        "/gent/beheer/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def job() -> ImportJob:
    db.session.expire_all()
    return db.session.scalar(select(ImportJob).order_by(ImportJob.id.desc()))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_41000_row_web_import_finishes_and_every_service_is_findable(regisseur):
    data = big_file(41_000)
    assert len(data) < 20 * 1024 * 1024
    job_url = upload(regisseur, data)
    # The request only stored the file: checking and importing are the worker's.
    assert job().status == "waiting_check" and count(Service) == 0
    run_pending_jobs()
    page = regisseur.get(job_url).get_data(as_text=True)
    assert "<strong>41 000</strong> nieuwe diensten" in page and "en nog 40 950 andere" in page
    assert regisseur.post(f"{job_url}/bevestigen").status_code == 302
    assert job().status == "waiting_import" and count(Service) == 0
    run_pending_jobs()
    assert "41 000 nieuw, 0 bijgewerkt, 0 ongewijzigd" in regisseur.get(job_url).get_data(
        as_text=True
    )
    assert count(Service) == 41_000 and count(ImportJobChunk) == 0
    found = search.search("gent", SearchRequest(text="kangoeroedienst"))
    assert found.total == 41_000


def test_a_bad_row_40000_imports_nothing_and_is_reported(regisseur):
    job_url = upload(regisseur, big_file(40_000, bad_row=40_000))
    run_pending_jobs()
    page = regisseur.get(job_url).get_data(as_text=True)
    assert "1 fout in aanbod.csv: er is niets ingelezen" in page
    assert "regel 40001, kolom categorie: onbekende categorie &#39;ruimtevaart&#39;" in page
    assert count(Service) == 0 and count(ImportJobChunk) == 0


def test_an_import_that_breaks_while_writing_leaves_nothing_behind(regisseur, monkeypatch):
    """All or nothing also when writing fails after 39 000 rows were flushed."""
    job_url = upload(regisseur, big_file(40_000))
    run_pending_jobs()
    regisseur.post(f"{job_url}/bevestigen")

    def break_late(session, services):
        if any(s.name == "Kangoeroedienst 39500" for s in services):
            raise RuntimeError("disk full")

    monkeypatch.setattr(import_jobs, "alert_matching_niches", break_late)
    run_pending_jobs()
    page = regisseur.get(job_url).get_data(as_text=True)
    assert "Er ging iets mis bij het verwerken van dit bestand; er is niets ingelezen" in page
    assert job().status == "failed"
    assert (count(Service), count(IndexOutbox), count(ImportJobChunk)) == (0, 0, 0)
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "service")
        )
        == 0
    )


def test_a_field_over_128_kb_is_reported_by_line(regisseur):
    text = csv_text(
        [
            service_row(extern_id="a"),
            service_row(extern_id="b", omschrijving="x" * 200_000),
            service_row(extern_id="c"),
        ]
    )
    job_url = upload(regisseur, text.encode())
    run_pending_jobs()
    response = regisseur.get(job_url)
    assert response.status_code == 200
    assert "regel 3: een veld is langer dan 128 KB" in response.get_data(as_text=True)
    assert count(Service) == 0


def test_each_job_is_run_by_one_worker_only(app, staff):
    gent = db.session.scalar(select(Region).where(Region.slug == "gent"))
    create_job(db.session, gent, None, "a.csv", io.BytesIO(csv_text([service_row()]).encode()))
    db.session.commit()
    start, claimed = threading.Barrier(4), []

    def worker(name: str) -> None:
        with app.app_context():
            start.wait()
            claimed.append((name, claim_next(name)))

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [name for name, job_id in claimed if job_id is not None]
    assert len(winners) == 1
    assert job().status == "checking" and job().worker == winners[0]


def test_a_job_whose_worker_died_is_run_again(app, staff):
    gent = db.session.scalar(select(Region).where(Region.slug == "gent"))
    create_job(db.session, gent, None, "a.csv", io.BytesIO(csv_text([service_row()]).encode()))
    db.session.commit()
    assert claim_next("dead-worker") is not None  # ...which then never reports back
    assert run_pending_jobs() == 0
    long_ago = utcnow() - dt.timedelta(hours=1)
    db.session.execute(update(ImportJob).values(heartbeat_at=long_ago))
    db.session.commit()
    assert run_pending_jobs() == 1 and job().status == "checked"


def test_an_unconfirmed_check_expires_and_its_file_is_deleted(regisseur):
    upload(regisseur, csv_text([service_row()]).encode())
    run_pending_jobs()
    long_ago = utcnow() - dt.timedelta(days=2)
    db.session.execute(update(ImportJob).values(checked_at=long_ago))
    db.session.commit()
    run_pending_jobs()
    assert job().status == "expired" and count(ImportJobChunk) == 0


def test_a_regisseur_sees_only_their_zorggebieds_imports(client, staff):
    login(client, "regisseur@gent.example")
    gent_job = upload(client, csv_text([service_row()]).encode(), name="gents-bestand.csv")
    client.post("/afmelden")
    login(client, "regisseur@kortrijk.example")
    page = client.get("/kortrijk/beheer/import").get_data(as_text=True)
    assert "gents-bestand.csv" not in page
    assert client.get(gent_job).status_code == 403
    via_kortrijk = f"/kortrijk/beheer/import/{gent_job.rsplit('/', 1)[1]}"
    assert client.get(via_kortrijk).status_code == 404
    assert client.post(f"{via_kortrijk}/bevestigen").status_code == 404
    assert client.post(f"{via_kortrijk}/annuleren").status_code == 404
    assert job().status == "waiting_check"


def test_the_worker_command_runs_waiting_jobs(app, staff):
    gent = db.session.scalar(select(Region).where(Region.slug == "gent"))
    create_job(db.session, gent, None, "a.csv", io.BytesIO(csv_text([service_row()]).encode()))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert job().status == "checked"
