"""The consulent's referral list keeps a referral in sight after its outcome."""

import datetime as dt

from sqlalchemy import update

from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.jobs import referrals
from dienstenwijzer.models import Referral
from tests.conftest import login
from tests.jobs.conftest import refer


def listed(client, **args):
    return client.get("/gent/werkwinkel/doorverwijzingen", query_string=args).get_data(as_text=True)


def test_a_referral_just_closed_stays_on_the_default_list(client, world):
    referral = refer(world.invoeg)
    referrals.advance(db.session, referral, "afgehaakt", (None, "consulent@gent.example"))
    db.session.commit()
    login(client, "consulent@gent.example")
    page = listed(client)
    assert "1 doorverwijzing" in page and "GENT-25-001" in page and "(afgerond)" in page
    assert "blijven hier 30 dagen staan" in page


def test_after_thirty_days_a_closed_referral_is_under_afgerond_only(client, world):
    referral = refer(world.invoeg)
    referrals.advance(db.session, referral, "afgehaakt", (None, "consulent@gent.example"))
    long_ago = utcnow() - dt.timedelta(days=31)
    db.session.execute(update(Referral).values(closed_at=long_ago, status_changed_at=long_ago))
    db.session.commit()
    login(client, "consulent@gent.example")
    assert "0 doorverwijzingen" in listed(client)
    assert "GENT-25-001" in listed(client, toestand="afgerond")
