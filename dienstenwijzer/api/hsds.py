"""Shape catalogue rows as HSDS 3.1 (Open Referral) objects.

Only what we know is written: HSDS types its optional fields as strings, so an unknown value is
left out rather than sent as null. Fields that HSDS does not have are Flemish extensions, named
in docs/api.md: `categories` (taxonomy codes), `dienstencheques`, `dienstenwijzer_url` (the
residents' page), `distance_km` and `reach` (api/reach.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..models import Category, Provider, Service
from ..models.catalogue import STATUS_ACTIVE
from ..models.ids import name_uuid, part_uuid

HSDS_VERSION = "3.1"
TAXONOMY_ID = name_uuid("taxonomy", "dienstenwijzer")
TAXONOMY = {
    "id": TAXONOMY_ID,
    "name": "Dienstenwijzer",
    "description": "De soorten diensten van de Vlaamse dienstenwijzers, in twee niveaus, met de "
    "woorden die inwoners gebruiken.",
    "version": "1",
}
COUNTRY = "BE"

# The residents' page of a service, or None when no zorggebied shows it.
PageUrl = Callable[[Service], str | None]


def _clean(item: dict) -> dict:
    return {key: value for key, value in item.items() if value is not None and value != []}


def timestamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC: stored timestamps are naive UTC."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def last_modified(service: Service) -> dt.datetime:
    """A service changes with its provider: the organization is part of what is published."""
    return max(service.updated_at, service.provider.updated_at)


def status(service: Service) -> str:
    # Archived services stay published, so a harvester syncing with modified_after sees them go.
    return "active" if service.status == STATUS_ACTIVE else "inactive"


def taxonomy_term(category: Category, *, detail: bool = False) -> dict:
    return _clean(
        {
            "id": category.uuid,
            "code": category.id,
            "name": category.label,
            "description": category.description or category.label,
            "parent_id": category.parent.uuid if category.parent else None,
            "taxonomy": TAXONOMY["name"],
            "taxonomy_detail": TAXONOMY if detail else None,
            "taxonomy_id": TAXONOMY_ID,
            "language": "nl",
        }
    )


def organization(provider: Provider, *, full: bool = False) -> dict:
    item = {
        "id": provider.uuid,
        "name": provider.name,
        # HSDS requires a description, and a CSV reads an empty one as missing; providers
        # have none of their own yet.
        "description": f"{provider.name} biedt diensten aan via de dienstenwijzer.",
        "email": provider.email,
        "website": provider.website,
    }
    if full:
        item["phones"] = _phones(provider.phone, provider.uuid, organization_id=provider.uuid)
        if provider.street or provider.postcode:
            location_id = part_uuid(provider.uuid, "location")
            item["locations"] = [
                _location(
                    location_id,
                    provider.name,
                    provider.street,
                    provider.postcode,
                    provider.municipality,
                    None,
                    None,
                    organization_id=provider.uuid,
                )
            ]
    return _clean(item)


def service_item(
    service: Service,
    page_url: PageUrl,
    *,
    distance_km: float | None = None,
    reach: dict | None = None,
) -> dict:
    """A service with its one-to-one fields and its organization (HSDS service_list)."""
    page = page_url(service)
    return _clean(
        {
            "id": service.uuid,
            "organization_id": service.provider.uuid,
            "name": service.name,
            "description": service.description,
            # HSDS `url`: a page about the service; its own website when it has one.
            "url": service.website or page,
            "email": service.email,
            "status": status(service),
            "fees_description": service.price,
            "eligibility_description": service.target_group,
            "assured_date": service.last_checked.isoformat(),
            "last_modified": timestamp(last_modified(service)),
            "organization": organization(service.provider),
            "categories": [c.id for c in service.categories],
            "dienstencheques": service.dienstencheques,
            "dienstenwijzer_url": page,
            "distance_km": round(distance_km, 2) if distance_km is not None else None,
            "reach": reach,
        }
    )


def minimal_item(service: Service) -> dict:
    """`minimal=true`: just enough to know what changed (and still a valid service_list item)."""
    return {
        "id": service.uuid,
        "name": service.name,
        "status": status(service),
        "last_modified": timestamp(last_modified(service)),
    }


def full_service(
    service: Service,
    page_url: PageUrl,
    *,
    distance_km: float | None = None,
    reach: dict | None = None,
) -> dict:
    """A service with everything that belongs to it nested (HSDS /services/{id})."""
    item = service_item(service, page_url, distance_km=distance_km, reach=reach)
    sid = service.uuid
    item["phones"] = _phones(service.phone, sid, service_id=sid)
    if service.opening_hours:
        item["schedules"] = [
            {
                "id": part_uuid(sid, "schedule"),
                "service_id": sid,
                "description": service.opening_hours,
            }
        ]
    item["service_areas"] = [
        {
            "id": part_uuid(sid, f"area/{m.nis_code}"),
            "service_id": sid,
            "name": m.name,
            "description": f"Gemeente {m.name} (NIS-code {m.nis_code})",
            "extent_type": "gemeente",
        }
        for m in service.municipalities
    ]
    item["attributes"] = [
        {
            "id": part_uuid(sid, f"attribute/{c.id}"),
            "link_id": sid,
            "link_type": "category",
            "link_entity": "service",
            "taxonomy_term_id": c.uuid,
            "taxonomy_term": taxonomy_term(c),
        }
        for c in service.categories
    ]
    item["cost_options"] = _cost_options(service)
    if sal := service_at_location(service, nested_service=False):
        item["service_at_locations"] = [sal]
    return _clean(item)


def service_at_location(
    service: Service, *, nested_service: bool = True, page_url: PageUrl | None = None
) -> dict | None:
    """The service at its address; None when it has no address (it comes to people's homes)."""
    if not (service.street or service.postcode):
        return None
    location_id = part_uuid(service.location_uuid, "location")
    item = {
        "id": service.location_uuid,
        "service_id": service.uuid,
        "location_id": location_id,
        "location": _location(
            location_id,
            service.name,
            service.street,
            service.postcode,
            service.municipality,
            service.lat,
            service.lon,
            organization_id=service.provider.uuid,
        ),
    }
    if nested_service and page_url is not None:
        item["service"] = service_item(service, page_url)  # extension: what is offered here
    return _clean(item)


def _location(
    location_id: str, name: str, street, postcode, municipality, lat, lon, *, organization_id: str
) -> dict:
    address = _clean(
        {
            "id": part_uuid(location_id, "address"),
            "location_id": location_id,
            "address_1": street or "",
            "city": municipality.name if municipality else "",
            "state_province": (municipality.province or "") if municipality else "",
            "postal_code": postcode or "",
            "country": COUNTRY,
            "address_type": "physical",
        }
    )
    return _clean(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
            "name": name,
            "latitude": lat,
            "longitude": lon,
            "addresses": [address],
        }
    )


def _phones(number: str | None, owner_uuid: str, **links: str) -> list[dict]:
    if not number:
        return []
    return [{"id": part_uuid(owner_uuid, "phone"), "number": number, **links}]


def _cost_options(service: Service) -> list[dict]:
    options = []
    if service.price:
        options.append(
            {
                "id": part_uuid(service.uuid, "cost/price"),
                "service_id": service.uuid,
                "amount_description": service.price,
            }
        )
    if service.dienstencheques:
        options.append(
            {
                "id": part_uuid(service.uuid, "cost/dienstencheques"),
                "service_id": service.uuid,
                "option": "Betalen met dienstencheques",
            }
        )
    return options


def page(total: int, page_number: int, per_page: int, contents: list[dict]) -> dict:
    """An HSDS page; past the last page an empty one (the numbers stay those of the list)."""
    pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= pages,
        "empty": not contents,
        "contents": contents,
    }
