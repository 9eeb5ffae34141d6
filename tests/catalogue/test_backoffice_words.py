"""The back office reads as plain Dutch: plurals, every count a link, short paths to a new service."""

import re

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import Provider, Report, Service
from tests.conftest import login, service_row, text_of


def add_report(message="Het telefoonnummer klopt niet."):
    service = db.session.scalar(select(Service))
    db.session.add(Report(region_id=service.region_id, service_id=service.id, message=message))
    db.session.commit()


def test_dashboard_says_one_open_melding_and_links_it_to_the_reports(regisseur):
    add_report()
    html = regisseur.get("/gent/beheer/").get_data(as_text=True)
    assert "1 open melding van inwoners" in text_of(html)
    assert "1 open meldingen" not in text_of(html)
    assert "1 actieve dienst " in text_of(html) and "1 aanbieder " in text_of(html)
    item = re.search(r"<li><a href=\"([^\"]+)\">[^<]*<strong>1</strong> open melding", html)
    assert item and item.group(1).endswith("/gent/beheer/meldingen")


def test_dashboard_plural_for_two_open_meldingen(regisseur):
    add_report()
    add_report("Het adres is verhuisd.")
    assert "2 open meldingen van inwoners" in text_of(
        regisseur.get("/gent/beheer/").get_data(as_text=True)
    )


def test_every_dashboard_count_is_a_link(regisseur):
    html = regisseur.get("/gent/beheer/").get_data(as_text=True)
    start = html.index('<ul class="figures">')
    figures = html[start : html.index("</ul>", start)]
    items = re.findall(r"<li>(.*?)</li>", figures, re.DOTALL)
    assert len(items) == 6
    assert all(item.strip().startswith("<a href=") for item in items)


def test_add_service_from_a_provider_page_preselects_that_provider(regisseur):
    provider = db.session.scalar(select(Provider))
    page = regisseur.get(f"/gent/beheer/aanbieders/{provider.id}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)">Dienst toevoegen voor', page).group(1)
    form = regisseur.get(link).get_data(as_text=True)
    assert re.search(
        rf'<option selected value="{provider.id}">|<option value="{provider.id}" selected', form
    )


def test_a_provider_of_another_region_is_not_preselected(client, staff, add_services):
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id="k",
                gemeenten="Kortrijk",
                postcode="8500",
                gemeente="Kortrijk",
                aanbieder="Vzw Elders",
            )
        ],
    )
    login(client, "regisseur@gent.example")
    other = db.session.scalar(select(Provider).where(Provider.name == "Vzw Elders"))
    form = client.get(f"/gent/beheer/diensten/nieuw?aanbieder={other.id}").get_data(as_text=True)
    assert "Vzw Elders" not in form
    select_box = form[
        form.index('id="provider_id"') : form.index("</select>", form.index('id="provider_id"'))
    ]
    assert "selected" not in select_box


def test_categories_are_a_visible_checklist_with_a_filter_box(regisseur):
    html = regisseur.get("/gent/beheer/diensten/nieuw").get_data(as_text=True)
    fieldset = html[html.index("<legend>Soort dienst</legend>") : html.index("Voor inwoners van")]
    assert "<details" not in fieldset  # nothing folded away: every choice is on the page
    assert 'id="cat-poetsen"' in fieldset and 'id="cat-strijkatelier"' in fieldset
    assert '<input type="search" id="cat-filter"' in fieldset
    assert "js/checklist-filter.js" in html


def test_chosen_categories_stay_checked_after_an_error(regisseur):
    response = regisseur.post(
        "/gent/beheer/diensten/nieuw",
        data={
            "name": "",
            "provider_id": "1",
            "description": "x",
            "categories": ["strijkatelier"],
            "served_region": ["44021"],
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(
        r'id="cat-strijkatelier" name="categories" value="strijkatelier" checked', html
    )


def test_dashboard_links_a_printable_wegwijzer_per_municipality(regisseur, add_services):
    add_services(
        "gent",
        [service_row(extern_id="m", naam="Poetshulp Proper", gemeenten="Gent;Merelbeke-Melle")],
    )
    html = regisseur.get("/gent/beheer/").get_data(as_text=True)
    start = html.index('<ul class="wegwijzers">')
    links = re.findall(r'href="([^"]+)"', html[start : html.index("</ul>", start)])
    assert "/gent/zoeken/afdrukken?gemeente=44021" in links  # Gent
    assert "/gent/zoeken/afdrukken.pdf?gemeente=44088" in links  # Merelbeke-Melle
    # The regisseur's link is the residents' print view of what comes to that municipality.
    page = text_of(regisseur.get("/gent/zoeken/afdrukken?gemeente=44088").get_data(as_text=True))
    assert "komen naar Merelbeke-Melle" in page and "Poetshulp Proper" in page
