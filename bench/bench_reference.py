"""Reference data the benchmark reads from the project's fixtures (no database needed).

Regions and their municipalities, postcodes with coordinates, the taxonomy and the demo
catalogue rows. Read straight from fixtures/ so the generator and the query writer run (and
can be tested) without a database.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BENCH_DIR = Path(__file__).resolve().parent


@dataclass
class Municipality:
    nis_code: str
    name: str
    inhabitants: int
    postcodes: list[str] = field(default_factory=list)  # distinct codes
    places: list[str] = field(default_factory=list)  # deelgemeenten and hamlets


@dataclass
class Region:
    slug: str
    municipalities: list[Municipality]

    @property
    def inhabitants(self) -> int:
        return sum(m.inhabitants for m in self.municipalities)


@dataclass
class Category:
    id: str
    label: str
    parent: str | None
    synonyms: list[str]
    dienstencheques: bool


@dataclass
class Reference:
    regions: list[Region]
    categories: dict[str, Category]
    demo_rows: list[dict]  # the demo catalogue, every region, in the import format
    postcode_coords: dict[str, tuple[float, float]]
    flemish_places: set[str]  # every Flemish municipality and postal place name

    def population_weights(self) -> list[float]:
        return [r.inhabitants for r in self.regions]

    def leaf_categories(self) -> list[Category]:
        parents = {c.parent for c in self.categories.values() if c.parent}
        return [c for c in self.categories.values() if c.id not in parents]


def _read_csv(path: Path, delimiter: str = ",") -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter=delimiter))


def load_reference(root: Path) -> Reference:
    fixtures = root / "fixtures"
    inhabitants = {
        r["nis_code"]: int(r["inhabitants"]) for r in _read_csv(BENCH_DIR / "population.csv")
    }
    sites = yaml.safe_load((fixtures / "zorggebieden.yaml").read_text(encoding="utf-8"))["sites"]

    postcode_rows = _read_csv(fixtures / "postcodes.csv")
    coords: dict[str, tuple[float, float]] = {}
    by_nis: dict[str, list[dict]] = {}
    flemish = set()
    for row in postcode_rows:
        by_nis.setdefault(row["nis_code"], []).append(row)
        if row["lat"] and row["lon"]:
            coords.setdefault(row["postcode"], (float(row["lat"]), float(row["lon"])))
        if row["region_nl"] == "Vlaams Gewest":
            flemish.update(filter(None, (row["place_name"], row["municipality_nl"])))

    regions = []
    for site in sites:
        munis = []
        for m in site["municipalities"]:
            rows = by_nis.get(m["nis_code"], [])
            munis.append(
                Municipality(
                    nis_code=m["nis_code"],
                    name=m["name"],
                    inhabitants=inhabitants.get(m["nis_code"], 10_000),
                    postcodes=sorted({r["postcode"] for r in rows if r["postcode"] in coords}),
                    places=sorted({r["place_name"].title() for r in rows if r["place_name"]}),
                )
            )
        regions.append(Region(site["slug"], munis))

    taxonomy = yaml.safe_load((fixtures / "taxonomie.yaml").read_text(encoding="utf-8"))
    categories: dict[str, Category] = {}
    for top in taxonomy["categories"]:
        categories[top["id"]] = Category(
            top["id"], top["label"], None, top.get("synonyms", []), bool(top.get("dienstencheques"))
        )
        for sub in top.get("subcategories", []):
            categories[sub["id"]] = Category(
                sub["id"],
                sub["label"],
                top["id"],
                sub.get("synonyms", []),
                bool(sub.get("dienstencheques")),
            )

    demo_rows = []
    for path in sorted((fixtures / "catalogus").glob("*.csv")):
        demo_rows.extend(_read_csv(path, delimiter=";"))
    return Reference(regions, categories, demo_rows, coords, flemish)
