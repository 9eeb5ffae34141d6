"""What a service and a provider store, and how it is set: the same for a form and an import row.

The back-office forms (editing.py) and the CSV import (importer.py) both build their values
here and assign them here, so a new field is added in one place. Nothing here flushes.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models import Category, Municipality, Provider, Service
from ..places import Places

# Where and how to reach a provider or a service: the same fields and rules for both.
ADDRESS_FIELDS = ("street", "postcode", "municipality_nis", "phone", "email", "website")
# A service's own fields (its provider, categories and municipalities are relations).
SERVICE_FIELDS = (
    "name",
    "description",
    *ADDRESS_FIELDS,
    "dienstencheques",
    "price",
    "target_group",
    "opening_hours",
)
PROVIDER_FIELDS = ("name", *ADDRESS_FIELDS)


def service_values(fields: Mapping, served_nis: list[str], places: Places) -> dict:
    """The columns a service stores: its own fields, and its point on the map (from its
    address, else from the municipalities it serves)."""
    values = {name: fields[name] for name in SERVICE_FIELDS}
    point = places.point_for(values["postcode"], values["municipality_nis"], served_nis)
    values["lat"], values["lon"] = point or (None, None)
    return values


def assign_service(
    service: Service,
    provider: Provider,
    values: Mapping,
    categories: list[Category],
    municipalities: list[Municipality],
) -> None:
    """Set a service to `values` (from service_values) and its relations."""
    service.provider = provider
    for name, value in values.items():
        setattr(service, name, value)
    service.categories = categories
    service.municipalities = municipalities


def provider_values(name: str, fields: Mapping) -> dict:
    """The columns a provider stores; an import takes the address of the provider's first row."""
    return {"name": name, **{field: fields[field] for field in ADDRESS_FIELDS}}


def assign_provider(provider: Provider, values: Mapping) -> None:
    for name in PROVIDER_FIELDS:
        setattr(provider, name, values[name])
