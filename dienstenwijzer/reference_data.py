"""Load the reference data in fixtures/ (municipalities, postcodes, zorggebieden, taxonomy).

The taxonomy's synonyms and the thesaurus (fixtures/thesaurus/*.yaml: everyday words residents
use, each linked to one or more categories) both become category_synonym rows, so the search
expands a thesaurus word exactly like a taxonomy synonym.

Safe to run twice: rows are matched on their natural keys and updated in place.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Category, CategorySynonym, Municipality, Postcode, Region

FLEMISH_REGION_NIS = "02000"


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def load_reference_data(session: Session, fixtures_dir: Path) -> None:
    load_municipalities(session, fixtures_dir / "gemeenten.csv")
    load_postcodes(session, fixtures_dir / "postcodes.csv")
    load_regions(session, fixtures_dir / "zorggebieden.yaml")
    load_taxonomy(session, fixtures_dir / "taxonomie.yaml", fixtures_dir / "thesaurus")
    session.flush()


def load_municipalities(session: Session, path: Path) -> None:
    existing = {m.nis_code: m for m in session.scalars(select(Municipality))}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            m = existing.get(row["nis_code"]) or Municipality(nis_code=row["nis_code"])
            m.name = row["name_nl"] or row["name_fr"]
            m.name_fr = row["name_fr"] or None
            m.province = row["province_nl"] or None
            m.flemish = row["region_nis"] == FLEMISH_REGION_NIS
            m.lat, m.lon = _float(row["lat"]), _float(row["lon"])
            if m.nis_code not in existing:
                session.add(m)
    session.flush()


def load_postcodes(session: Session, path: Path) -> None:
    existing = {(p.code, p.place_name, p.nis_code): p for p in session.scalars(select(Postcode))}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["postcode"], row["place_name"] or None, row["nis_code"])
            p = existing.get(key)
            if p is None:
                p = Postcode(code=key[0], place_name=key[1], nis_code=key[2])
                session.add(p)
            p.lat, p.lon = _float(row["lat"]), _float(row["lon"])
    session.flush()


def load_regions(session: Session, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    existing = {r.slug: r for r in session.scalars(select(Region))}
    for site in data["sites"]:
        region = existing.get(site["slug"]) or Region(slug=site["slug"])
        region.name = site["name"]
        region.werkwinkel_nis = site["werkwinkel_municipality"]
        region.centre_lat = site["centre"]["lat"]
        region.centre_lon = site["centre"]["lon"]
        contact = site.get("contact") or {}
        region.contact_email = contact.get("email")
        region.contact_phone = contact.get("phone")
        if region.slug not in existing:
            session.add(region)
        session.flush()
        for m in site["municipalities"]:
            municipality = session.get(Municipality, m["nis_code"])
            if municipality is None:
                raise ValueError(f"{path.name}: onbekende NIS-code {m['nis_code']}")
            municipality.region_id = region.id
    session.flush()


def load_taxonomy(session: Session, path: Path, thesaurus_dir: Path | None = None) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    nodes: list[tuple[dict, str | None]] = []
    for top in data["categories"]:
        nodes.append((top, None))
        nodes.extend((sub, top["id"]) for sub in top.get("subcategories", []))
    extra = (
        load_thesaurus(thesaurus_dir, {node["id"] for node, _ in nodes}) if thesaurus_dir else {}
    )
    dropped = not_the_category(thesaurus_dir) if thesaurus_dir else {}
    existing = {c.id: c for c in session.scalars(select(Category))}
    for position, (node, parent_id) in enumerate(nodes):
        _upsert_category(
            session,
            existing,
            node,
            parent_id,
            position,
            extra.get(node["id"], []),
            dropped.get(node["id"], frozenset()),
        )
    session.flush()


def load_thesaurus(directory: Path, category_ids: set[str]) -> dict[str, list[str]]:
    """{category id: words} from every thesaurus file; a group may name several categories."""
    terms: dict[str, list[str]] = defaultdict(list)
    for path in sorted(directory.glob("*.yaml")):
        for n, group in enumerate(
            yaml.safe_load(path.read_text(encoding="utf-8")).get("groups", []), start=1
        ):
            where = f"{path.name}, groep {n}"
            targets = [group["category"]] if "category" in group else group.get("categories", [])
            unknown = [c for c in targets if c not in category_ids]
            if not targets or unknown:
                raise ValueError(f"{where}: onbekende of ontbrekende categorie {unknown or ''}")
            if not str(group.get("reason") or "").strip():
                raise ValueError(f"{where}: geen reden of bron opgegeven")
            for word in group["words"]:
                if not isinstance(
                    word, str
                ):  # YAML reads a bare 112 or "on" as a number or boolean
                    raise TypeError(
                        f"{where}: {word!r} is geen woord; zet het tussen aanhalingstekens"
                    )
                for category_id in targets:
                    terms[category_id].append(word)
    return terms


def not_the_category(directory: Path) -> dict[str, frozenset[str]]:
    """{category id: words that are no synonym of it} from the thesaurus' `not_the_category`
    groups: what only some services of a category offer ("pedicure" in a dienstencentrum)."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for n, group in enumerate(data.get("not_the_category", []), start=1):
            if not str(group.get("reason") or "").strip():
                raise ValueError(f"{path.name}, not_the_category {n}: geen reden opgegeven")
            out[group["category"]].update(w.strip().lower() for w in group["words"])
    return {k: frozenset(v) for k, v in out.items()}


def _upsert_category(
    session: Session,
    existing: dict,
    node: dict,
    parent_id,
    position: int,
    extra: list[str],
    dropped: frozenset[str] = frozenset(),
):
    category = existing.get(node["id"])
    if category is None:
        category = Category(id=node["id"])
        session.add(category)
    category.parent_id = parent_id
    category.label = node["label"]
    category.description = node.get("description", "")
    category.dienstencheques = node.get("dienstencheques")
    category.position = position
    words = [*node.get("synonyms", []), *extra]
    terms = list(
        dict.fromkeys(
            t.strip().lower() for t in words if t.strip() and t.strip().lower() not in dropped
        )
    )
    if [s.term for s in category.synonyms] != terms:
        category.synonyms = [CategorySynonym(term=t) for t in terms]
    return category
