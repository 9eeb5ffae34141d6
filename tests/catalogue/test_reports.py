"""Residents report wrong information; personal data only with consent."""

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import Report
from tests.conftest import login, service_row


def test_a_report_without_contact_stores_no_personal_data(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    page = client.get("/gent/diensten/1").get_data(as_text=True)
    assert "/gent/diensten/1/melden" in page
    done = client.post("/gent/diensten/1/melden", data={"message": "Het nummer werkt niet meer."})
    assert "Bedankt voor uw melding" in done.get_data(as_text=True)
    report = db.session.scalar(select(Report))
    assert report.message == "Het nummer werkt niet meer."
    assert report.contact_email is None and not report.contact_consent
    assert {c.name for c in Report.__table__.columns} >= {"message"}
    assert not {"ip", "ip_address", "user_agent", "session_id"} & {
        c.name for c in Report.__table__.columns
    }


def test_an_email_without_consent_is_refused_and_not_stored(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    response = client.post(
        "/gent/diensten/1/melden",
        data={"message": "Fout adres", "contact_email": "an@voorbeeld.be"},
    )
    assert response.status_code == 400
    assert "Vink aan dat we u mogen contacteren" in response.get_data(as_text=True)
    assert db.session.scalar(select(Report)) is None


def test_with_consent_the_email_is_kept_for_the_regisseur(client, staff, add_services):
    add_services("gent", [service_row(extern_id="a")])
    client.post(
        "/gent/diensten/1/melden",
        data={"message": "Fout adres", "contact_email": "an@voorbeeld.be", "contact_consent": "y"},
    )
    report = db.session.scalar(select(Report))
    assert report.contact_email == "an@voorbeeld.be" and report.contact_consent
    login(client, "regisseur@gent.example")
    inbox = client.get("/gent/beheer/meldingen").get_data(as_text=True)
    assert "Fout adres" in inbox and "an@voorbeeld.be" in inbox
    client.post(f"/gent/beheer/meldingen/{report.id}/afgehandeld", data={"note": "Adres aangepast"})
    assert "Geen meldingen." in client.get("/gent/beheer/meldingen").get_data(as_text=True)
    assert "Adres aangepast" in client.get("/gent/beheer/meldingen?afgehandeld=1").get_data(
        as_text=True
    )


def test_the_honeypot_catches_robots_and_stores_nothing(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    response = client.post(
        "/gent/diensten/1/melden", data={"message": "Koop nu!", "website": "http://spam.example"}
    )
    assert "Bedankt" in response.get_data(as_text=True)
    assert db.session.scalar(select(Report)) is None


def test_no_report_on_a_service_of_another_region(client, add_services):
    add_services(
        "kortrijk",
        [service_row(extern_id="k", gemeenten="Kortrijk", postcode="8500", gemeente="Kortrijk")],
    )
    assert client.get("/gent/diensten/1/melden").status_code == 404
