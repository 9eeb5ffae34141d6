"""The Whoosh schema of a zorggebied's index, and how a service becomes a document."""

from __future__ import annotations

import datetime as dt

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import ANALYSIS_VERSION, analyse, dutch_analyzer, fold, words
from .reach import HOME, comes_home
from .refusals import refused_text, without_refusals

# Bump when the fields change. Together with the analyzer's version it names the format of
# an index; a generation of another format is rebuilt, never written to.
# 2: the "stamp" column for the self-check; 3: a service's refusals are not indexed (refusals.py)
# and the `reach` field (reach.py); 4: the `refused` field (refusals.py)
SCHEMA_VERSION = "4"
INDEX_FORMAT = f"schema {SCHEMA_VERSION}, analysis {ANALYSIS_VERSION}"


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # Everything a resident may type, name weighted by repeating it (cheaper than a 2nd field).
        text=TEXT(analyzer=dutch_analyzer(), phrase=False),
        # Not scorable: a category term scores 1 per match (query.py adds it to the words).
        categories=KEYWORD(commas=True),
        # "home" for a service that comes to the resident's home (reach.py); like a category.
        reach=KEYWORD(),
        # The forms of the words of what the service says it does not do ("grote bomen vellen
        # doen we niet"): never matched, read to tell a missing need from a missing detail.
        # `scorable` for the reason given under `municipalities`.
        refused=KEYWORD(scorable=True),
        # `scorable` only gives these a length column, which no query reads. Without one,
        # Whoosh's segment writer looks for the missing column file with a stat() call for
        # every posting of the field: about 45 per document, a third of a full rebuild.
        municipalities=KEYWORD(commas=True, scorable=True),
        # One packed record per document, read in bulk for filters, facets and browsing.
        facets=COLUMN(columns.VarBytesColumn()),
        # "id|stamp": what the self-check compares with the database, read in bulk.
        stamp=COLUMN(columns.VarBytesColumn()),
        display=STORED(),
    )


def service_document(service, category_ids: list[str]) -> dict:
    """The document of one service. `category_ids` includes the parents of its subcategories."""
    provider = service.provider
    labels = " ".join(c.label for c in service.categories)
    description = without_refusals(service.description)
    text = " ".join(
        filter(
            None,
            [service.name, service.name, provider.name, labels, description, service.target_group],
        )
    )
    served = [m.nis_code for m in service.municipalities]
    return {
        "id": str(service.id),
        "stamp": f"{service.id}|{document_stamp(service.updated_at, provider.updated_at)}".encode(),
        "text": text,
        "categories": ",".join(category_ids),
        "reach": HOME if comes_home(f"{service.name} {labels} {description}") else "",
        "refused": " ".join(dict.fromkeys(analyse(refused_text(service.description)))),
        "municipalities": ",".join(served),
        "facets": pack_facets(
            category_ids,
            served,
            service.dienstencheques,
            service.lat,
            service.lon,
            service.last_checked.toordinal(),
            fold(service.name),
        ),
        "display": {
            "name": service.name,
            "provider_id": provider.id,
            "provider": provider.name,
            "description": service.description,
            "municipality": service.municipality.name if service.municipality else None,
            "categories": [c.id for c in service.categories],
            "dienstencheques": service.dienstencheques,
            "price": service.price,
            "website": service.website,
            "email": service.email,
            "phone": service.phone,
        },
    }


def document_stamp(service_updated: dt.datetime, provider_updated: dt.datetime) -> str:
    """The version of a service's document: it changes whenever the service or its provider does
    (the outbox hook also bumps `updated_at` when only a service's categories or places change)."""
    return max(service_updated, provider_updated).isoformat()


def surface_words(text: str) -> set[str]:
    """The distinct folded words of a document: the vocabulary for "Bedoelde u …?"."""
    return {w for w in words(text) if len(w) > 2 and not w.isdigit()}


def pack_facets(categories, municipalities, dienstencheques, lat, lon, checked, sort_name) -> bytes:
    fields = [
        ",".join(categories),
        ",".join(municipalities),
        "1" if dienstencheques else "0",
        "" if lat is None else f"{lat:.5f}",
        "" if lon is None else f"{lon:.5f}",
        str(checked),
        sort_name.replace("|", " "),
    ]
    return "|".join(fields).encode("utf-8")


def unpack_facets(raw: bytes):
    cats, munis, dc, lat, lon, checked, sort_name = raw.decode("utf-8").split("|")
    return (
        frozenset(cats.split(",")) if cats else frozenset(),
        frozenset(munis.split(",")) if munis else frozenset(),
        dc == "1",
        float(lat) if lat else None,
        float(lon) if lon else None,
        int(checked),
        sort_name,
    )
