"""Links the published data carries: a service's page for residents, the package's homepage."""

from __future__ import annotations

from flask import url_for

from ..models import Region, Service
from ..models.catalogue import STATUS_ACTIVE
from ..open_data import DATA_LICENSE
from ..places import Places
from . import tabular
from .hsds import PageUrl


def page_url(region: Region | None, places: Places) -> PageUrl:
    """The residents' page of a service: in this zorggebied, or the first one it serves."""

    def url(service: Service) -> str | None:
        if service.status != STATUS_ACTIVE:
            return None
        slug = (
            region.slug
            if region is not None
            else next(
                (
                    places.by_nis[m.nis_code].region_slug
                    for m in service.municipalities
                    if m.nis_code in places.by_nis and places.by_nis[m.nis_code].region_slug
                ),
                None,
            )
        )
        if slug is None:
            return None
        return url_for("public.service_page", gebied=slug, service_id=service.id, _external=True)

    return url


def package_descriptor(region: Region | None) -> dict:
    """datapackage.json of the scope's tabular download."""
    title = region.name if region else "Dienstenwijzers van Vlaanderen"
    homepage = url_for("public.open_data", gebied=region.slug if region else None, _external=True)
    return tabular.descriptor(title, DATA_LICENSE, homepage)
