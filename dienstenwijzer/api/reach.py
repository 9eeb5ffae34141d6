"""The Flemish `reach` extension: does a service come to the asked place, or is it near it?

With `postcode`, every service item says whether the service comes to (serves) a municipality
of that postcode, and how far its address lies from the postcode's centre: what the residents'
page shows as "Komt naar Merelbeke-Melle" or "Op 3,2 km" (search/areas.py), for a harvester.
Reads only the service and the cached places: no query of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Service
from ..places import Places
from ..search.facets import distance_km


@dataclass(frozen=True)
class AskedPlace:
    postcode: str
    municipalities: dict[str, str]  # NIS code -> name, of the postcode's municipalities
    origin: tuple[float, float] | None  # the postcode's centre


def asked_place(postcode: str | None, places: Places) -> AskedPlace | None:
    if not postcode:
        return None
    return AskedPlace(
        postcode=postcode,
        municipalities={p.nis_code: p.name for p in places.municipalities_for_postcode(postcode)},
        origin=places.coordinates(postcode),
    )


def reach(service: Service, place: AskedPlace) -> dict:
    """`comes_there` and the municipalities it comes to; `distance_km` when it has an address."""
    comes_to = [
        {"nis_code": m.nis_code, "name": m.name}
        for m in service.municipalities
        if m.nis_code in place.municipalities
    ]
    item: dict = {
        "postcode": place.postcode,
        "comes_there": bool(comes_to),
        "municipalities": comes_to,
    }
    # A service without an address (it comes to people's homes) has only the point of a
    # municipality it serves: that is no distance to tell a resident.
    has_address = bool(service.street or service.postcode)
    if has_address and place.origin is not None and service.lat is not None:
        item["distance_km"] = round(distance_km(*place.origin, service.lat, service.lon), 2)
    return item
