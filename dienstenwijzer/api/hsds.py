"""Shape search results as HSDS 3.1 (Open Referral) pages and services."""
from __future__ import annotations

from flask import url_for

from ..search import Hit, SearchResult


def service(hit: Hit, region_slug: str) -> dict:
    page = url_for("public.service_page", gebied=region_slug, service_id=hit.service_id, _external=True)
    display = hit.display
    item = {
        "id": str(hit.service_id),
        "name": hit.name,
        "description": hit.description,
        "status": "active",
        # HSDS `url`: a page about the service; its own website when it has one.
        "url": display.get("website") or page,
        "email": display.get("email"),
        # HSDS requires an organization description; providers have none of their own yet.
        "organization": {"id": str(hit.provider_id), "name": hit.provider, "description": ""},
        "categories": hit.categories,
        "dienstencheques": hit.dienstencheques,
        "dienstenwijzer_url": page,
    }
    if display.get("price"):
        item["fees_description"] = display["price"]
    if hit.distance_km is not None:
        item["distance_km"] = round(hit.distance_km, 2)
    # HSDS types its optional fields as strings: leave out what we do not know.
    return {key: value for key, value in item.items() if value is not None}


def page(result: SearchResult, region_slug: str) -> dict:
    return {
        "total_items": result.total,
        "total_pages": result.pages,
        "page_number": result.page,
        "size": len(result.hits),
        "first_page": result.page == 1,
        "last_page": result.page >= result.pages,
        "empty": not result.hits,
        "contents": [service(hit, region_slug) for hit in result.hits],
    }
