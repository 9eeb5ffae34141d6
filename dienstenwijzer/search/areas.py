"""Service areas as residents mean them: "comes to me, or is near me".

A service is found by the municipalities it *serves* (the `munis` of its facet record); the
provider's office is only one fact. When a resident gives a postcode or a municipality, that
municipality is their *home* (`Filters.home`): services that serve it pass any distance limit
and are listed first, then the services within the distance asked, nearest first.

Where each part lives: `FacetIndex.serving(home)` is the mask of the services that come there;
`FacetIndex.filter_mask` lets them pass `km`; `FacetIndex.browse_order` and the engine's
`top_docs(..., first=...)` put them first; `comes_to` below marks a hit "Komt naar ...".
"""

from __future__ import annotations

from .facets import MUNIS


def comes_to(records: list[tuple], docnum: int, home: str | None) -> bool:
    """Whether the service of `docnum` serves the resident's municipality."""
    return home is not None and home in records[docnum][MUNIS]
