"""Vacancies: staff create, edit, close and delete them; residents find the open ones."""

import re

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import Provider, Service, Vacancy, VacancyChange
from tests.conftest import login
from tests.jobs.conftest import NIS, refer


def _form(**values):
    provider = db.session.scalar(
        select(Provider).where(Provider.name == "Invoegbedrijf De Schakel")
    )
    data = {
        "title": "Poetshulp",
        "provider_id": str(provider.id),
        "description": "Poetsen bij mensen thuis.",
        "instrument": "dienstencheques",
        "hours_per_week": "24",
        "municipality": NIS["gent"],
        "start_date": "2030-02-01",
        "places": "2",
        "status": "open",
    }
    data.update(values)
    return data


def test_a_consulent_adds_and_edits_a_vacancy_and_it_is_audited(client, world):
    login(client, "consulent@gent.example")
    response = client.post("/gent/werkwinkel/vacatures/nieuw", data=_form())
    assert response.status_code == 302
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.title == "Poetshulp"))
    assert (
        vacancy.instrument,
        vacancy.hours_per_week,
        vacancy.places,
        str(vacancy.start_date),
    ) == ("dienstencheques", 24, 2, "2030-02-01")
    assert (
        client.post(
            f"/gent/werkwinkel/vacatures/{vacancy.id}", data=_form(status="ingevuld")
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).filled_at is not None
    changes = db.session.scalars(
        select(VacancyChange)
        .where(VacancyChange.vacancy_id == vacancy.id)
        .order_by(VacancyChange.id)
    ).all()
    assert [(c.action, c.actor) for c in changes] == [
        ("create", "consulent@gent.example"),
        ("update", "consulent@gent.example"),
    ]
    assert changes[1].changes == {"status": ["open", "ingevuld"]}


def test_bad_input_re_renders_with_messages(client, world):
    login(client, "consulent@gent.example")
    page = client.post(
        "/gent/werkwinkel/vacatures/nieuw",
        data=_form(title="", hours_per_week="80", instrument="toveren", municipality=""),
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "Er is een probleem" in html and "Geef de vacature een titel." in html
    assert "Vul een aantal uren tussen 1 en 50 in." in html and "Poetsen bij mensen thuis." in html
    assert "Kies de gemeente waar het werk is." in html
    assert (
        db.session.scalar(select(Vacancy).where(Vacancy.description == "Poetsen bij mensen thuis."))
        is None
    )


def test_the_place_is_chosen_from_the_zorggebieds_municipalities(client, world):
    login(client, "consulent@gent.example")
    form = client.get("/gent/werkwinkel/vacatures/nieuw").get_data(as_text=True)
    select_box = re.search(r'<select[^>]*id="municipality".*?</select>', form, re.DOTALL).group(0)
    assert f'<option value="{NIS["gent"]}">Gent</option>' in select_box
    assert (
        ">Brussel<" not in select_box
        and ">Kortrijk<" not in select_box
        and ">Evergem<" not in select_box
    )
    # Posted by hand: a place outside the zorggebied is refused on the server.
    for outside in ("21004", NIS["kortrijk"], NIS["evergem"]):
        page = client.post("/gent/werkwinkel/vacatures/nieuw", data=_form(municipality=outside))
        assert page.status_code == 400
        assert "Kies een gemeente uit de lijst: het werk is in dit zorggebied." in page.get_data(
            as_text=True
        )
    assert db.session.scalar(select(Vacancy).where(Vacancy.title == "Poetshulp")) is None


def test_a_provider_of_another_zorggebied_cannot_be_chosen(client, world):
    login(client, "consulent@gent.example")
    leie = db.session.scalar(select(Provider).where(Provider.name == "Leie Werkt"))
    page = client.post("/gent/werkwinkel/vacatures/nieuw", data=_form(provider_id=str(leie.id)))
    assert page.status_code == 400


def test_delete_asks_first_and_only_without_referrals(client, world):
    login(client, "consulent@gent.example")
    confirm = client.get(f"/gent/werkwinkel/vacatures/{world.regulier.id}/verwijderen")
    assert confirm.status_code == 200 and "Ja, verwijderen" in confirm.get_data(as_text=True)
    assert db.session.get(Vacancy, world.regulier.id) is not None
    assert (
        client.post(f"/gent/werkwinkel/vacatures/{world.regulier.id}/verwijderen").status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Vacancy, world.regulier.id) is None
    refer(world.invoeg)
    assert (
        client.post(f"/gent/werkwinkel/vacatures/{world.invoeg.id}/verwijderen").status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(Vacancy, world.invoeg.id) is not None


def test_staff_list_filters_and_empty_state(client, world):
    login(client, "consulent@gent.example")
    html = client.get("/gent/werkwinkel/vacatures?instrument=sociale-werkplaats").get_data(
        as_text=True
    )
    assert "Groenarbeider" in html and "Chauffeur" not in html
    html = client.get("/gent/werkwinkel/vacatures?q=xyzzy").get_data(as_text=True)
    assert "Geen vacatures gevonden met deze filters" in html


# -- residents ----------------------------------------------------------------------------------


def test_residents_see_open_vacancies_searchable_and_filterable(client, world):
    html = client.get("/gent/jobs").get_data(as_text=True)
    for title in ("Medewerker strijkatelier", "Chauffeur", "Boekhouder", "Groenarbeider"):
        assert title in html
    assert "Gesloten job" not in html and "Leiejob" not in html
    assert "Chauffeur" not in client.get("/gent/jobs?q=strijk").get_data(as_text=True)
    assert "Boekhouder" in client.get("/gent/jobs?q=schakel").get_data(
        as_text=True
    )  # provider name
    only = client.get("/gent/jobs?instrument=regulier").get_data(as_text=True)
    assert "Boekhouder" in only and "Chauffeur" not in only
    evergem = client.get(f"/gent/jobs?gemeente={NIS['evergem']}").get_data(as_text=True)
    assert "Chauffeur" in evergem and "Boekhouder" not in evergem
    part_time = client.get("/gent/jobs?uren=tot-20").get_data(as_text=True)
    assert "Boekhouder" in part_time and "Chauffeur" not in part_time
    none = client.get("/gent/jobs?q=astronaut").get_data(as_text=True)
    assert "Geen jobs gevonden" in none and "Toon alle jobs" in none


def test_public_list_is_paginated(client, world):
    from tests.jobs.conftest import make_vacancy

    for i in range(12):
        make_vacancy("gent", "Invoegbedrijf De Schakel", title=f"Extra job {i}")
    first = client.get("/gent/jobs").get_data(as_text=True)
    assert 'rel="next"' in first
    assert 'rel="prev"' in client.get("/gent/jobs?page=2").get_data(as_text=True)


def test_a_resident_reads_an_open_vacancy_but_not_a_closed_or_foreign_one(client, world):
    page = client.get(f"/gent/jobs/{world.invoeg.id}")
    assert page.status_code == 200 and "jobs@schakel.example" in page.get_data(as_text=True)
    assert client.get(f"/gent/jobs/{world.closed.id}").status_code == 404
    assert client.get(f"/gent/jobs/{world.kortrijk.id}").status_code == 404


def test_the_provider_s_service_page_lists_its_open_vacancies(client, world):
    service = db.session.scalar(select(Service).where(Service.external_id == "g1"))
    html = client.get(f"/gent/diensten/{service.id}").get_data(as_text=True)
    assert "Jobs bij Invoegbedrijf De Schakel" in html
    assert (
        "Medewerker strijkatelier" in html
        and "Gesloten job" not in html
        and "Groenarbeider" not in html
    )
    other = db.session.scalar(select(Service).where(Service.external_id == "g2"))
    assert "Groenarbeider" in client.get(f"/gent/diensten/{other.id}").get_data(as_text=True)
