"""Merge and split ask first, and the niche's history can undo them."""

import re

from sqlalchemy import select

from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.models import DemandSignal, Niche, NicheKey
from tests.conftest import login, text_of
from tests.demand.test_niches import miss


def test_merge_first_shows_what_will_happen_and_changes_nothing(regisseur):
    a = miss("hond uitlaten").niche
    b = miss("huisdieren verzorgen").niche
    response = regisseur.post(
        f"/gent/beheer/niches/{b.id}/samenvoegen", data={"merge-into": str(a.id)}
    )
    page = text_of(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Niches samenvoegen?" in page and "Ja, samenvoegen" in page
    assert f"“{b.title}” (1 vraag) gaat op in “{a.title}” (1 vraag)" in page
    db.session.expire_all()
    assert db.session.get(Niche, b.id) is not None


def test_merge_can_be_undone_from_the_history(regisseur):
    a = miss("hond uitlaten").niche
    miss("hond uitlaten")
    b_signal = miss("huisdieren verzorgen")
    b_id, b_title, a_id = b_signal.niche_id, b_signal.niche.title, a.id
    regisseur.post(
        f"/gent/beheer/niches/{b_id}/samenvoegen", data={"merge-into": str(a_id), "bevestigd": "ja"}
    )
    page = regisseur.get(f"/gent/beheer/niches/{a_id}").get_data(as_text=True)
    assert f"“{b_title}” hierbij gevoegd" in text_of(page)
    undo = re.search(r'action="([^"]+/ongedaan)"', page).group(1)
    response = regisseur.post(undo)
    assert response.status_code == 302
    db.session.expire_all()
    back = db.session.get(DemandSignal, b_signal.id).niche
    assert back.id != a_id and back.title == b_title
    assert len(db.session.get(Niche, a_id).signals) == 2
    # New searches of that kind go to the restored niche again, not to the one it was merged into.
    assert (
        db.session.scalar(select(NicheKey.niche_id).where(NicheKey.niche_id == back.id)) == back.id
    )
    assert miss("huisdieren verzorgen").niche_id == back.id
    history = text_of(regisseur.get(f"/gent/beheer/niches/{a_id}").get_data(as_text=True))
    assert "Ongedaan gemaakt op" in history and "regisseur@gent.example" in history
    assert regisseur.post(undo).status_code == 302  # a second undo changes nothing
    assert len(db.session.get(Niche, a_id).signals) == 2


def test_split_asks_first_then_can_be_undone(regisseur):
    one = miss("hond uitlaten")
    two = miss("honden uitlaten")
    url = f"/gent/beheer/niches/{one.niche_id}/splitsen"
    asked = regisseur.post(url, data={"signal": [str(two.id)], "title": "Grote honden"})
    assert "Vragen afsplitsen?" in text_of(asked.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(DemandSignal, two.id).niche_id == one.niche_id
    regisseur.post(url, data={"signal": [str(two.id)], "title": "Grote honden", "bevestigd": "ja"})
    db.session.expire_all()
    part_id = db.session.get(DemandSignal, two.id).niche_id
    assert part_id != one.niche_id
    page = regisseur.get(f"/gent/beheer/niches/{one.niche_id}").get_data(as_text=True)
    assert "vragen afgesplitst naar “Grote honden” (1 vraag)" in text_of(page)
    regisseur.post(re.search(r'action="([^"]+/ongedaan)"', page).group(1))
    db.session.expire_all()
    assert db.session.get(DemandSignal, two.id).niche_id == one.niche_id
    assert db.session.get(Niche, part_id) is None  # nothing of its own left


def test_history_of_another_region_cannot_be_undone(client, staff, add_services):
    a = miss("hond uitlaten", slug="kortrijk").niche
    b = miss("zwemles", slug="kortrijk").niche
    from dienstenwijzer.demand import niches

    event = niches.merge(db.session, b, a, actor="regisseur@kortrijk.example")
    db.session.commit()
    login(client, "regisseur@gent.example")
    assert (
        client.post(f"/gent/beheer/niches/{a.id}/geschiedenis/{event.id}/ongedaan").status_code
        == 404
    )
    assert (
        client.post(f"/kortrijk/beheer/niches/{a.id}/geschiedenis/{event.id}/ongedaan").status_code
        == 403
    )
    assert db.session.get(type(event), event.id).undone_at is None


def test_purge_forgets_the_titles_kept_in_old_history(app, regisseur):
    import datetime as dt

    from dienstenwijzer.demand import niches
    from dienstenwijzer.models import NicheEvent

    a = miss("hond uitlaten").niche
    b = miss("pianoles voor kinderen").niche
    b_title = b.title
    event = niches.merge(db.session, b, a, actor="regisseur@gent.example")
    event.created_at = utcnow() - dt.timedelta(days=800)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    kept = db.session.get(NicheEvent, event.id)
    assert b_title not in kept.other_title and b_title not in str(kept.details)
    assert kept.other_title == "(naam gewist na bewaartermijn)"
