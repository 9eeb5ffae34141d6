"""What residents see of service areas: which municipalities to filter on, what serves theirs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .. import search
from ..models import Region
from ..places import Place, Places
from ..search import Filters, SearchRequest


@dataclass(frozen=True)
class MunicipalityChoice:
    nis_code: str
    name: str
    count: int
    own: bool  # one of the zorggebied's own municipalities


def municipality_choices(
    region: Region, counts: Counter, places: Places, checked=()
) -> list[MunicipalityChoice]:
    """The zorggebied's own municipalities (even at 0), then every other municipality that its
    services serve (Gent's services that come to Merelbeke-Melle), by name."""
    own = [m.nis_code for m in region.municipalities]
    others = {n for n, c in counts.items() if c > 0} | set(checked)
    others = sorted(
        (n for n in others - set(own) if n in places.by_nis), key=lambda n: places.by_nis[n].name
    )
    return [
        MunicipalityChoice(n, places.by_nis[n].name, counts.get(n, 0), n in own)
        for n in [*own, *others]
        if n in places.by_nis
    ]


def served_count(region: Region, place: Place, checked_since: int) -> int:
    """How many of a zorggebied's services come to a municipality outside it."""
    filters = Filters(municipalities=frozenset({place.nis_code}), checked_since=checked_since)
    return search.search(region.slug, SearchRequest(filters=filters, per_page=1)).total
