"""Residents' pages: choose a dienstenwijzer, search, read a service."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import search
from ..catalogue.queries import public_service, serves_region
from ..db import db
from ..demand.capture import note_search
from ..freshness import hide_before
from ..models import Region, Service
from ..models.catalogue import STATUS_ACTIVE
from ..open_data import DATA_LICENSE, attribution
from ..paging import keep_in_range, page_number
from ..places import app_places
from ..reference_cache import category_labels, public_region_or_404
from ..search.facets import distance_km
from .blueprint import bp
from .nearby import municipality_choices, served_count
from .search_form import DISTANCES_KM, build_form, resident_place, to_request


@bp.get("/")
def home():
    """Choose a zorggebied, by name or by the place or postcode a resident types."""
    regions = db.session.scalars(select(Region).order_by(Region.name)).all()
    typed = request.args.get("plaats", "").strip()[:100]
    outcome = None
    if typed:
        places = app_places()
        place, point = places.find(typed)
        if place and place.region_slug:
            return redirect(url_for("public.region_home", gebied=place.region_slug))
        if place is None:
            outcome = {
                "kind": "unknown",
                "suggestion": places.suggest(typed) if not typed[:1].isdigit() else None,
            }
        else:
            origin = point or (place.lat, place.lon)
            nearest = min(
                regions,
                key=lambda r: distance_km(origin[0], origin[1], r.centre_lat, r.centre_lon),
            )
            checked_since = hide_before().toordinal()
            outcome = {
                "kind": "none",
                "place": place,
                "nearest": nearest,
                "km": distance_km(origin[0], origin[1], nearest.centre_lat, nearest.centre_lon),
                # Every dienstenwijzer with services that come to this place, nearest first.
                "serving": [
                    (r, n)
                    for r in sorted(regions, key=lambda r: r is not nearest)
                    if (n := served_count(r, place, checked_since))
                ],
            }
    return render_template("public/home.html", regions=regions, typed=typed, outcome=outcome)


@bp.get("/over")
def about():
    """About the dienstenwijzers: the zorggebieden and the data licence."""
    regions = db.session.scalars(select(Region).order_by(Region.name)).all()
    return render_template("public/about.html", regions=regions, licence=DATA_LICENSE)


@bp.get("/open-data", defaults={"gebied": None})
@bp.get("/<gebied>/open-data")
def open_data(gebied: str | None):
    """For people who build websites and apps: the API, examples and the licence."""
    region = public_region_or_404(gebied) if gebied is not None else None
    regions = db.session.scalars(select(Region).order_by(Region.name)).all()
    example_service = _example_service(region)
    # Flanders' examples search where that service is, so that they find something.
    example = (
        region
        or (example_service.region if example_service else None)
        or (regions[0] if regions else None)
    )
    return render_template(
        "public/open_data.html",
        region=region,
        regions=regions,
        example=example,
        example_service=example_service.uuid if example_service else None,
        since=(dt.datetime.now(dt.UTC) - dt.timedelta(days=7)).strftime("%Y-%m-%dT00:00:00Z"),
        licence=DATA_LICENSE,
        attribution=attribution(region.name if region else None),
    )


def _example_service(region: Region | None) -> Service | None:
    """A real service for the 'one service' example, so the example works when copied."""
    query = select(Service).where(Service.status == STATUS_ACTIVE)
    if region is not None:
        query = query.where(serves_region(region))
    return db.session.scalar(query.order_by(Service.uuid).limit(1))


# When the accessibility statement was last reviewed (the Flemish model asks for the date).
ACCESSIBILITY_STATEMENT_DATE = dt.date(2026, 12, 1)


@bp.get("/toegankelijkheid")
def accessibility():
    """The accessibility statement."""
    regions = db.session.scalars(select(Region).order_by(Region.name)).all()
    return render_template(
        "public/accessibility.html", regions=regions, statement_date=ACCESSIBILITY_STATEMENT_DATE
    )


@bp.get("/<gebied>/")
def region_home(gebied: str):
    """A zorggebied's home page: the search form and an overview of its services."""
    region = public_region_or_404(gebied)
    overview = search.search(
        region.slug, to_request(_empty_form(region), app_places(), 10, hide_before())
    )
    return render_template(
        "public/region_home.html",
        region=region,
        categories=_top_categories(),
        counts=overview.facets.categories,
    )


@bp.get("/<gebied>/zoeken")
def search_page(gebied: str):
    """Residents' search: the results for what they typed, where and how far."""
    region = public_region_or_404(gebied)
    asked = page_number()  # not a number: to page 1
    places = app_places()
    form = build_form(db.session, region, places, request.args)
    form.validate()
    per_page = int(current_app.config["SEARCH_PER_PAGE"])
    search_request = to_request(form, places, per_page, hide_before())
    result = search.search(region.slug, search_request)
    keep_in_range(asked, result.pages)  # past the end: to the last page
    note_search(region, search_request, result)
    labels = category_labels()
    checked = form.gemeente.data if not form.gemeente.errors else []
    return render_template(
        "public/search.html",
        region=region,
        form=form,
        result=result,
        municipalities=municipality_choices(region, result.facets.municipalities, places, checked),
        home=resident_place(form, places)[0],
        search_request=search_request,
        labels=labels,
        top_categories=_top_categories(labels),
        related=_related_categories(result.query_categories, labels) if result.total == 0 else [],
        distances=DISTANCES_KM,
        errors=[(f, e) for f in form for e in f.errors],
    )


@bp.get("/<gebied>/diensten/<int:service_id>")
def service_page(gebied: str, service_id: int):
    """Residents' page of one service."""
    region = public_region_or_404(gebied)
    service = public_service(db.session, region, service_id)
    if service is None or service.last_checked < hide_before():
        abort(404, description="Deze dienst bestaat niet (meer) in deze dienstenwijzer.")
    return render_template("public/service.html", region=region, service=service)


def _empty_form(region: Region):
    return build_form(db.session, region, app_places(), request.args.__class__())


def _related_categories(category_ids, labels) -> list:
    """Where to look instead: the categories the words stand for, and their siblings."""
    related: dict[str, object] = {}
    for cid in sorted(category_ids):
        if cid not in labels:
            continue
        top = labels[cid].top
        for c in [labels[cid], top, *top.children]:
            related.setdefault(c.id, c)
    return list(related.values())[:8] or _top_categories(labels)


def _top_categories(labels=None):
    labels = category_labels() if labels is None else labels
    return [c for c in labels.values() if c.parent_id is None]


@bp.route("/<gebied>/diensten/<int:service_id>/melden", methods=["GET", "POST"])
def report_service(gebied: str, service_id: int):
    """ "Deze informatie klopt niet": lands in the regisseur's inbox."""
    from ..catalogue.forms import ReportForm
    from ..catalogue.reports import file_report

    region = public_region_or_404(gebied)
    service = public_service(db.session, region, service_id)
    if service is None:
        abort(404, description="Deze dienst bestaat niet (meer) in deze dienstenwijzer.")
    form = ReportForm()
    if form.validate_on_submit():
        if not form.website.data:  # the honeypot stays empty for people
            file_report(
                db.session,
                service,
                form.message.data,
                form.contact_email.data,
                form.contact_consent.data,
            )
            db.session.commit()
        return render_template("public/report_thanks.html", region=region, service=service)
    return render_template("public/report.html", region=region, service=service, form=form), (
        400 if form.errors else 200
    )
