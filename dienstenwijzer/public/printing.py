"""A printable list for people without internet: any search, on paper, grouped by category.

The same parameters as /<gebied>/zoeken (so a search, a category or a municipality's
"wegwijzer" prints the same way), up to PRINT_LIMIT services, with everything needed without
a screen: what, when, price, phone and address, the date printed and the dienstenwijzer's own
contact. Read-only; large type comes from site.css's print rules (the PDF: print_pdf.py).
PRINT_LIMIT bounds the work of one request, for the page and for its PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import search
from ..db import db
from ..freshness import hide_before
from ..models import Region, Service
from ..places import app_places
from ..reference_cache import category_labels, public_region_or_404
from .blueprint import bp
from .qr import qr_svg
from .search_form import build_form, resident_place, to_request

# At most this many services on paper, and so in one request's PDF: 100 services are some 70
# A4 pages, about 5 s at load 3.4 on 2 cores (bench/pdf_bench.py) but 15-19 s at load 8-10;
# 200 then took 30-43 s, past gunicorn's 30 s worker timeout.
PRINT_LIMIT = 100


@bp.get("/<gebied>/zoeken/afdrukken")
def print_list(gebied: str):
    """A search's results as a page to print."""
    region = public_region_or_404(gebied)
    return render_template("public/print.html", **print_context(region))


def print_context(region: Region) -> dict:
    """What the print view and its PDF show: the search of the request's parameters, at most
    PRINT_LIMIT services, grouped by category."""
    places = app_places()
    form = build_form(db.session, region, places, request.args)
    form.validate()
    search_request = dataclasses.replace(
        to_request(form, places, PRINT_LIMIT, hide_before()), page=1, per_page=PRINT_LIMIT
    )
    result = search.search(region.slug, search_request)
    labels = category_labels()
    services = _services_in_order([h.service_id for h in result.hits])
    return {
        "region": region,
        "result": result,
        "groups": group_by_category(services, labels),
        "typed": (form.q.data or "").strip(),
        "home": resident_place(form, places)[0],
        "served": [
            places.by_nis[n].name
            for n in search_request.filters.municipalities
            if n in places.by_nis
        ],
        "comes_home": {h.service_id for h in result.hits if h.comes_home},
        "distance": {h.service_id: h.distance_km for h in result.hits},
        # From paper to the page: each service's absolute address, and as a QR code.
        "links": (links := {s.id: service_url(region, s.id) for s in services}),
        "qr": {service_id: qr_svg(url) for service_id, url in links.items()},
        "printed_on": dt.date.today(),
    }


def service_url(region: Region, service_id: int) -> str:
    return url_for("public.service_page", gebied=region.slug, service_id=service_id, _external=True)


def _services_in_order(ids: list[int]) -> list[Service]:
    found = {
        s.id: s
        for s in db.session.scalars(
            select(Service)
            .where(Service.id.in_(ids))
            .options(
                joinedload(Service.provider),
                joinedload(Service.municipality),
                selectinload(Service.categories),
                selectinload(Service.municipalities),
            )
        )
    }
    return [found[i] for i in ids if i in found]


def group_by_category(services: list[Service], labels) -> list[tuple[str, list[Service]]]:
    """By the top category of each service's first category, in the taxonomy's order; within
    a group, in the search's order."""
    groups: dict[str, list[Service]] = {}
    for service in services:
        first = service.categories[0].id if service.categories else None
        top = labels[first].top.id if first in labels else ""
        groups.setdefault(top, []).append(service)
    order = list(labels)
    return [
        (labels[top].label if top in labels else "Andere diensten", groups[top])
        for top in sorted(groups, key=lambda t: order.index(t) if t in order else len(order))
    ]
