"""The referral letter names the werkwinkel's own contact and can be printed with one button."""

import re

import pytest
from sqlalchemy import select, update

from dienstenwijzer.db import db
from dienstenwijzer.models import Region
from tests.conftest import login
from tests.jobs.conftest import refer


@pytest.fixture(autouse=True)
def no_contact_set(app):
    """Regions are reference data that PostgreSQL runs keep between tests: start and end clean."""
    db.session.execute(update(Region).values(werkwinkel_contact=None))
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(update(Region).values(werkwinkel_contact=None))
    db.session.commit()


def letter_of(client, referral):
    html = client.get(f"/gent/werkwinkel/doorverwijzingen/{referral.id}/brief").get_data(
        as_text=True
    )
    return html, html[html.index('<article class="letter">') : html.index("</article>")]


def test_the_letter_names_the_werkwinkel_contact_set_for_the_zorggebied(client, world):
    referral = refer(world.invoeg)
    login(client, "consulent@gent.example")
    _, letter = letter_of(client, referral)
    assert (
        "regie@gent.dienstenwijzer.example" not in letter
    )  # the regisseur is no werkwinkel contact
    saved = client.post(
        "/gent/werkwinkel/instellingen",
        data={
            "contact": "Werkwinkel Gent-Centrum, Kerkstraat 1, 9000 Gent\n09 000 20 00 <b>bel</b>"
        },
    )
    assert saved.status_code == 302
    page, letter = letter_of(client, referral)
    assert (
        "Werkwinkel Gent-Centrum, Kerkstraat 1, 9000 Gent<br>09 000 20 00 &lt;b&gt;bel&lt;/b&gt;"
        in letter
    )
    assert "regie@gent.dienstenwijzer.example" not in letter
    assert "Vul het in bij Contact werkwinkel" not in page
    assert (
        db.session.scalar(select(Region.werkwinkel_contact).where(Region.slug == "kortrijk"))
        is None
    )


def test_without_a_contact_the_consulent_is_told_where_to_set_it(client, world):
    login(client, "consulent@gent.example")
    page, _ = letter_of(client, refer(world.invoeg))
    assert re.search(
        r'href="/gent/werkwinkel/instellingen">Vul het in bij Contact werkwinkel', page
    )


def test_the_letter_has_a_print_button(client, world):
    login(client, "consulent@gent.example")
    page, _ = letter_of(client, refer(world.invoeg))
    assert (
        '<button type="button" class="print-button" data-print hidden>Brief afdrukken</button>'
        in page
    )
    assert "js/print-button.js" in page and "Ctrl+P" in page  # without JavaScript: the keys


def test_another_zorggebied_cannot_set_the_contact(client, world):
    login(client, "regisseur@kortrijk.example")
    assert client.post("/gent/werkwinkel/instellingen", data={"contact": "x"}).status_code == 403
    assert db.session.scalar(select(Region.werkwinkel_contact).where(Region.slug == "gent")) is None


def test_an_empty_contact_is_refused_with_a_message(client, world):
    login(client, "consulent@gent.example")
    page = client.post("/gent/werkwinkel/instellingen", data={"contact": "  "})
    assert page.status_code == 400 and "Vul in hoe een werkzoekende" in page.get_data(as_text=True)
