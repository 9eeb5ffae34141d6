"""What the public search page tells the demand side: counts, and searches that found nothing."""
from __future__ import annotations

from .. import search
from ..db import db
from ..models import Region
from ..search import SearchRequest, SearchResult
from . import counting
from .grouping import normalise
from .signals import record_search_miss


def note_search(region: Region, request: SearchRequest, result: SearchResult) -> None:
    """Count a resident's search (first page only) and record it as a signal if it found nothing."""
    text = request.text.strip()
    if request.page != 1 or not text:
        return
    synonyms = search.synonyms()
    normalised, _categories = normalise(text, synonyms)
    found_nothing = result.total == 0
    counting.count_search(db.engine, region.id, normalised, found_nothing)
    if found_nothing:
        filters = request.filters
        record_search_miss(
            db.session, region, synonyms, text,
            filters={
                "categorie": sorted(filters.categories),
                "gemeente": sorted(filters.municipalities),
                "dienstencheques": filters.dienstencheques,
                "km": filters.km,
            },
            municipality_nis=next(iter(filters.municipalities)) if len(filters.municipalities) == 1 else None,
        )
        db.session.commit()
    if counting.due():
        counting.flush(db.engine)
