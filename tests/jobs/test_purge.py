"""Retention: `dienstenwijzer purge` removes referral details after 24 months, keeps the counts."""

import datetime as dt

from sqlalchemy import func, select, update

from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.jobs import followup, provider_link, referrals
from dienstenwijzer.models import Referral, ReferralAccess, ReferralStep
from tests.jobs.conftest import refer


def _age(referral, **delta):
    when = utcnow() - dt.timedelta(**delta)
    db.session.execute(update(Referral).where(Referral.id == referral.id).values(created_at=when))
    db.session.commit()


def test_purge_removes_old_referral_details_and_keeps_counts(app, world):
    old = refer(world.invoeg, reference="GENT-OUD-1")
    for s in ("contact", "gesprek", "aangeworven"):
        referrals.advance(db.session, old, s, (None, "consulent@gent.example"))
    referrals.record_access(db.session, old, (None, "consulent@gent.example"), "bekeken")
    recent = refer(world.invoeg_far, reference="GENT-NIEUW-1")
    referrals.advance(db.session, recent, "afgehaakt", (None, "x"))
    referrals.record_access(db.session, recent, (None, "x"), "bekeken")
    db.session.commit()
    _age(old, days=365 * 2 + 10)
    _age(recent, days=365 * 2 - 40)
    before = followup.outcomes_series(db.session, world.invoeg.region).rows

    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "details van 1 doorverwijzingen" in result.output
    db.session.expire_all()

    gone = db.session.get(Referral, old.id)
    assert gone.reference is None and gone.rule_id is None and gone.created_by_id is None
    assert gone.purged_at is not None
    assert (
        db.session.scalar(
            select(func.count()).select_from(ReferralStep).where(ReferralStep.referral_id == old.id)
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ReferralAccess)
            .where(ReferralAccess.referral_id == old.id)
        )
        == 0
    )
    # Anonymous counts stay: outcome, instrument, vacancy, dates.
    assert (gone.status, gone.instrument, gone.vacancy_id) == (
        "aangeworven",
        "invoegeconomie",
        world.invoeg.id,
    )
    assert followup.outcomes_series(db.session, world.invoeg.region).rows == before
    # The recent one is untouched.
    kept = db.session.get(Referral, recent.id)
    assert kept.reference == "GENT-NIEUW-1" and kept.purged_at is None
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ReferralStep)
            .where(ReferralStep.referral_id == recent.id)
        )
        == 2
    )

    again = app.test_cli_runner().invoke(args=["purge"])
    assert "details van 0 doorverwijzingen" in again.output


def test_retention_is_configurable(app, world):
    app.config["REFERRAL_RETENTION_MONTHS"] = 1
    referral = refer(world.invoeg)
    _age(referral, days=40)
    assert "details van 1 doorverwijzingen" in app.test_cli_runner().invoke(args=["purge"]).output


def test_a_purged_referral_can_no_longer_change_or_be_linked(app, client, world):
    referral = refer(world.invoeg)
    token = provider_link.issue(db.session, referral, app.config["SECRET_KEY"])
    db.session.commit()
    _age(referral, days=800)
    app.test_cli_runner().invoke(args=["purge"])
    db.session.expire_all()
    assert client.get(f"/gent/uitkomst/{token}").status_code == 400
    referral = db.session.get(Referral, referral.id)
    try:
        referrals.advance(db.session, referral, "contact", (None, "x"))
    except referrals.ReferralError as exc:
        assert "bewaartermijn" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a purged referral moved on")


def test_months_before_handles_month_ends():
    assert referrals.months_before(dt.datetime(2026, 3, 31, 12), 1) == dt.datetime(2026, 2, 28, 12)
    assert referrals.months_before(dt.datetime(2026, 1, 15), 24) == dt.datetime(2024, 1, 15)
