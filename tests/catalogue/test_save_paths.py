"""A service typed in the back-office form and the same service imported from a CSV are stored
alike: both go through catalogue/stored_fields.py."""

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import Provider, Service
from tests.conftest import import_rows, service_row

# Columns that differ between any two services by design: their identity and when they were made.
IDENTITY = {"id", "uuid", "location_uuid", "external_id", "created_at", "updated_at"}


def stored(service: Service) -> dict:
    row = {
        c.key: getattr(service, c.key) for c in Service.__table__.columns if c.key not in IDENTITY
    }
    row["categories"] = sorted(c.id for c in service.categories)
    row["municipalities"] = sorted(m.nis_code for m in service.municipalities)
    return row


def by_external_id(external_id: str) -> Service:
    return db.session.scalar(select(Service).where(Service.external_id == external_id))


def test_form_and_import_store_the_same_service(regisseur):
    import_rows(
        "gent",
        [
            service_row(
                extern_id="uit-csv",
                naam="Strijkatelier De Plooi",
                categorie="strijkatelier;poetsen",
                omschrijving="Breng uw strijk binnen, wij strijken hem.",
                gemeenten="Gent;Kortrijk",
                straat="Veldstraat 10",
                postcode="9000",
                gemeente="Gent",
                telefoon="09 123 45 67",
                email="info@deplooi.example",
                website="https://www.deplooi.example",
                dienstencheques="ja",
                prijs="Met dienstencheques",
                doelgroep="Iedereen",
                openingsuren="Ma-vr 9-17 u.",
            )
        ],
    )
    provider = db.session.scalar(select(Provider).where(Provider.name == "Vzw Proper Thuis"))
    response = regisseur.post(
        "/gent/beheer/diensten/nieuw",
        data={
            "external_id": "uit-formulier",
            "name": "Strijkatelier De Plooi",
            "provider_id": str(provider.id),
            "categories": ["strijkatelier", "poetsen"],
            "description": "Breng uw strijk binnen, wij strijken hem.",
            "served_region": ["44021"],
            "served_other": "Kortrijk",
            "street": "Veldstraat 10",
            "postcode": "9000",
            "town": "Gent",
            "phone": "09 123 45 67",
            "email": "info@deplooi.example",
            "website": "https://www.deplooi.example",
            "dienstencheques": "y",
            "price": "Met dienstencheques",
            "target_group": "Iedereen",
            "opening_hours": "Ma-vr 9-17 u.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    imported, typed = by_external_id("uit-csv"), by_external_id("uit-formulier")
    assert stored(imported)["lat"] is not None
    assert stored(typed) == stored(imported)
