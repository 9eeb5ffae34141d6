"""`dienstenwijzer purge` removes personal data past its retention period, and nothing more."""

import datetime as dt

from sqlalchemy import select, update

from dienstenwijzer.catalogue.reports import file_report
from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.models import LoginAttempt, Report, Service
from tests.conftest import service_row


def test_purge_removes_old_contact_details_but_keeps_the_reports(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    service = db.session.get(Service, 1)
    old = file_report(db.session, service, "Oud", "oud@voorbeeld.be", True)
    file_report(db.session, service, "Nieuw", "nieuw@voorbeeld.be", True)
    db.session.add(LoginAttempt(email="x@y.example", client_hash="h" * 64))
    db.session.commit()
    long_ago = utcnow() - dt.timedelta(days=200)
    db.session.execute(update(Report).where(Report.id == old.id).values(created_at=long_ago))
    db.session.execute(update(LoginAttempt).values(created_at=long_ago))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Gewist: 1 e-mailadressen bij meldingen, 1 mislukte aanmeldpogingen" in result.output
    db.session.expire_all()
    reports = {r.message: r.contact_email for r in db.session.scalars(select(Report))}
    assert reports == {"Oud": None, "Nieuw": "nieuw@voorbeeld.be"}
    assert db.session.scalars(select(LoginAttempt)).all() == []
    # Safe to run again: nothing more to remove.
    again = app.test_cli_runner().invoke(args=["purge"])
    assert "Gewist: 0 e-mailadressen bij meldingen, 0 mislukte aanmeldpogingen" in again.output
