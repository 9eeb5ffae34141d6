"""A provider's page for residents: who they are, how to reach them, and all their services
(and open vacancies) in this dienstenwijzer."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..catalogue.queries import serves_region
from ..db import db
from ..freshness import hide_before
from ..jobs.vacancies import open_vacancies_of_provider
from ..models import Provider, Region, Service
from ..models.catalogue import STATUS_ACTIVE
from ..reference_cache import public_region_or_404
from .blueprint import bp


def public_services_of_provider(
    session: Session, region: Region, provider_id: int
) -> list[Service]:
    """The provider's services that residents of this zorggebied see, by name."""
    return list(
        session.scalars(
            select(Service)
            .where(
                Service.provider_id == provider_id,
                Service.status == STATUS_ACTIVE,
                Service.last_checked >= hide_before(),
                serves_region(region),
            )
            .options(
                joinedload(Service.provider).joinedload(Provider.municipality),
                joinedload(Service.municipality),
                selectinload(Service.categories),
                selectinload(Service.municipalities),
            )
            .order_by(Service.name, Service.id)
        ).unique()
    )


@bp.get("/<gebied>/aanbieders/<int:provider_id>")
def provider_page(gebied: str, provider_id: int):
    """Residents' page of one provider and its services in the zorggebied."""
    region = public_region_or_404(gebied)
    services = public_services_of_provider(db.session, region, provider_id)
    if not services or services[0].provider.status != STATUS_ACTIVE:
        abort(404, description="Deze aanbieder heeft (nu) geen diensten in deze dienstenwijzer.")
    provider = services[0].provider
    jobs = [v for v in open_vacancies_of_provider(db.session, provider) if v.region_id == region.id]
    return render_template(
        "public/provider.html", region=region, provider=provider, services=services, jobs=jobs
    )
