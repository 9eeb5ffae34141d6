"""What every dienstenwijzer promises reusers of its catalogue: the licence of the data.

One place for the API's root document, its OpenAPI description, the data package, the
residents' /open-data and /over pages and the README's wording.
"""

from __future__ import annotations

# The Flemish government's model licence for free reuse: also commercial, with attribution.
DATA_LICENSE = {
    "name": "Modellicentie Gratis Hergebruik – Vlaanderen v1.0",
    "url": "https://data.vlaanderen.be/doc/licentie/modellicentie-gratis-hergebruik/v1.0",
}


def attribution(dienstenwijzer: str | None) -> str:
    """The source line reusers show beside the data ("Dienstenwijzer Gent", or Flanders')."""
    return f"Bron: {dienstenwijzer or 'Dienstenwijzers van Vlaanderen'}"
