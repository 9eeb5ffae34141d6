"""The provider's outcome link: signed, expiring, one referral, usable until a final outcome."""

import datetime as dt
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.jobs import provider_link
from dienstenwijzer.models import Referral, ReferralStep
from tests.jobs.conftest import refer


def _link(app, referral) -> str:
    token = provider_link.issue(db.session, referral, app.config["SECRET_KEY"])
    db.session.commit()
    return f"/gent/uitkomst/{token}"


def test_the_provider_records_the_outcome_without_an_account(app, client, world):
    referral = refer(world.invoeg)
    path = _link(app, referral)
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "GENT-25-001" in html and "Medewerker strijkatelier" in html
    assert page.headers["Cache-Control"] == "no-store"
    thanks = client.post(path, data={"status": "niet-weerhouden"})
    assert thanks.status_code == 200 and "Bedankt" in thanks.get_data(as_text=True)
    db.session.expire_all()
    steps = db.session.scalars(
        select(ReferralStep)
        .where(ReferralStep.referral_id == referral.id)
        .order_by(ReferralStep.id)
    ).all()
    # Only what the provider reported: no "contact" step is invented before the outcome.
    assert [s.status for s in steps] == ["doorverwezen", "niet-weerhouden"]
    assert steps[-1].set_by == "aanbieder (persoonlijke link)" and steps[-1].set_by_id is None


def test_the_link_works_for_each_step_until_a_final_outcome(app, client, world):
    path = _link(app, refer(world.invoeg))
    first = client.post(path, data={"status": "contact"})
    assert first.status_code == 200 and "Gebruik dezelfde link" in first.get_data(as_text=True)
    page = client.get(path)
    assert page.status_code == 200 and "Contact gelegd" in page.get_data(as_text=True)
    assert client.post(path, data={"status": "afgehaakt"}).status_code == 200
    again = client.post(path, data={"status": "gesprek"})
    assert again.status_code == 410 and "al gebruikt" in again.get_data(as_text=True)
    assert client.get(path).status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(Referral.status)) == "afgehaakt"
    assert db.session.scalars(select(ReferralStep.status).order_by(ReferralStep.id)).all() == [
        "doorverwezen",
        "contact",
        "afgehaakt",
    ]


def test_each_step_has_the_moment_it_was_reported(app, client, world):
    referral = refer(world.invoeg)
    path = _link(app, referral)
    client.post(path, data={"status": "contact"})
    contact_step = db.session.scalar(select(ReferralStep).where(ReferralStep.status == "contact"))
    reported = contact_step.set_at - dt.timedelta(days=3)
    contact_step.set_at = reported  # as if reported three days ago
    db.session.commit()
    client.post(path, data={"status": "aangeworven"})
    db.session.expire_all()
    steps = db.session.scalars(
        select(ReferralStep)
        .where(ReferralStep.referral_id == referral.id)
        .order_by(ReferralStep.id)
    ).all()
    assert [s.status for s in steps] == ["doorverwezen", "contact", "aangeworven"]
    assert steps[1].set_at == reported  # not moved, and no interview step back-filled
    assert steps[2].set_at > reported + dt.timedelta(days=2)


def test_a_new_link_replaces_the_old_one(app, client, world):
    referral = refer(world.invoeg)
    old = _link(app, referral)
    new = _link(app, referral)
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


def test_a_tampered_link_is_refused(app, client, world):
    referral = refer(world.invoeg)
    other = refer(world.invoeg, reference="GENT-25-002")
    path = _link(app, referral)
    token = path.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.get(f"/gent/uitkomst/{tampered}").status_code == 400
    # Signed with another key, or for another referral with a guessed nonce: refused.
    forged = URLSafeTimedSerializer("wrong", salt=provider_link.SALT).dumps(
        {"r": other.id, "n": "x"}
    )
    assert client.get(f"/gent/uitkomst/{forged}").status_code == 400
    swapped = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=provider_link.SALT).dumps(
        {"r": other.id, "n": referral.link_nonce}
    )
    assert client.post(f"/gent/uitkomst/{swapped}", data={"status": "contact"}).status_code == 410
    # Through another zorggebied's URL: refused.
    assert client.get(path.replace("/gent/", "/kortrijk/")).status_code == 400
    db.session.expire_all()
    assert set(db.session.scalars(select(Referral.status))) == {"doorverwezen"}


def test_an_expired_link_is_refused(app, client, world):
    referral = refer(world.invoeg)
    provider_link.issue(db.session, referral, app.config["SECRET_KEY"])
    db.session.commit()

    class Past(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - (app.config["PROVIDER_LINK_DAYS"] * 86400 + 60)

    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=provider_link.SALT, signer=Past
    )
    old = serializer.dumps({"r": referral.id, "n": referral.link_nonce})
    page = client.post(f"/gent/uitkomst/{old}", data={"status": "contact"})
    assert page.status_code == 410 and "verlopen" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Referral.status)) == "doorverwezen"


def test_the_provider_must_choose_a_reachable_outcome(app, client, world):
    path = _link(app, refer(world.invoeg))
    page = client.post(path, data={"status": "doorverwezen"})
    assert page.status_code == 400 and "Er is een probleem" in page.get_data(as_text=True)
    assert client.get(path).status_code == 200  # not spent


def test_the_same_step_sent_twice_is_recorded_once_and_says_so(app, client, world):
    """A double click or a second tab: the repeat is told the step is already in, not that
    the form was filled in wrongly (that would be a 400 asking to choose again)."""
    path = _link(app, refer(world.invoeg))
    assert client.post(path, data={"status": "contact"}).status_code == 200
    again = client.post(path, data={"status": "contact"})
    assert again.status_code == 409 and "al doorgegeven" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(ReferralStep.status).order_by(ReferralStep.id)).all() == [
        "doorverwezen",
        "contact",
    ]
