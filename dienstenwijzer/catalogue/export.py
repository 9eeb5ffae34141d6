"""Export a zorggebied's catalogue in the import format (docs/import.md).

Re-importing an export changes nothing, and keeps every service's public id (the `uuid`
column), also when the file is imported into another install. Cells a spreadsheet would run as a formula (starting
with = + - @, tab or carriage return, also after leading spaces) get a leading apostrophe, which
the import strips again.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import Region, Service
from ..models.catalogue import STATUS_ACTIVE
from ..scope import services_of
from .import_csv import COLUMNS, FORMULA_START


def protect(value: str) -> str:
    """ "'=1+1" for "=1+1" and for " =1+1": spreadsheets skip leading whitespace, and so does the
    import (it strips every cell), so the whitespace goes and the apostrophe comes first."""
    if value.startswith(FORMULA_START):
        return "'" + value
    stripped = value.lstrip()
    return "'" + stripped if stripped != value and stripped.startswith(FORMULA_START) else value


def _row(service: Service) -> dict:
    return {
        "naam": service.name,
        "aanbieder": service.provider.name,
        "categorie": ";".join(c.id for c in service.categories),
        "omschrijving": service.description,
        "gemeenten": ";".join(m.name for m in service.municipalities),
        "straat": service.street or "",
        "postcode": service.postcode or "",
        "gemeente": service.municipality.name if service.municipality else "",
        "telefoon": service.phone or "",
        "email": service.email or "",
        "website": service.website or "",
        "dienstencheques": "ja" if service.dienstencheques else "nee",
        "prijs": service.price or "",
        "doelgroep": service.target_group or "",
        "openingsuren": service.opening_hours or "",
        # Every exported row gets an id, so a re-import updates instead of duplicating.
        "extern_id": service.external_id or f"dw-{service.id}",  # see import_csv.INTERNAL_ID
        # The public id: a re-import here updates this service, an import elsewhere keeps it.
        "uuid": service.uuid,
    }


def export_csv(session: Session, region: Region) -> str:
    services = session.scalars(
        services_of(region)
        .where(Service.status == STATUS_ACTIVE)
        .options(
            joinedload(Service.provider),
            joinedload(Service.municipality),
            selectinload(Service.categories),
            selectinload(Service.municipalities),
        )
        .order_by(Service.id)
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for service in services:
        writer.writerow({k: protect(v) for k, v in _row(service).items()})
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads UTF-8
