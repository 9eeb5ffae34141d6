"""What the public search page tells the demand side: counts, and searches that found nothing.

The request side (`note_search`) only builds a note and hands it off; it never writes. Personal
data is cut from the text before it is even queued. The writer side (`write_notes`) runs in the
hand-off thread, inside one transaction per batch, and never commits itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import flask
from sqlalchemy.orm import Session

from .. import search
from ..models import Region
from ..search import SearchRequest, SearchResult
from .counting import MAX_QUERY_LENGTH, add_counts
from .handoff import handoff
from .junk import is_junk
from .privacy import as_typed, client_key, strip_personal_data
from .signals import record_search_miss


@dataclass(frozen=True)
class SearchNote:
    region_id: int
    day: dt.date
    query: str  # as typed (folded, personal data removed) for "Meest gezocht"; "" when junk
    found_nothing: bool
    need: str | None = (
        None  # a search that found nothing (or only a weak match) and means something
    )
    filters: dict = field(default_factory=dict)
    municipality_nis: str | None = None
    client_key: str = ""


def note_search(region: Region, request: SearchRequest, result: SearchResult) -> None:
    """Hand off a resident's search (first page only): counted, and a signal if it found nothing."""
    text = request.text.strip()
    if request.page != 1 or not text:
        return
    app = flask.current_app._get_current_object()
    today = dt.date.today()
    clean = strip_personal_data(text)
    junk = is_junk(clean)
    found_nothing = result.total == 0
    # A weak match (some words matched no service at all) is unmet demand as well.
    unmet = found_nothing or result.weak
    filters = request.filters
    note = SearchNote(
        region_id=region.id,
        day=today,
        query="" if junk else as_typed(clean, MAX_QUERY_LENGTH),
        found_nothing=found_nothing,
        need=clean if unmet and not junk else None,
        filters={
            "categorie": sorted(filters.categories),
            "gemeente": sorted(filters.municipalities),
            "dienstencheques": filters.dienstencheques,
            "km": filters.km,
        },
        municipality_nis=next(iter(filters.municipalities))
        if len(filters.municipalities) == 1
        else None,
        client_key=client_key(app.config["SECRET_KEY"], flask.request.remote_addr, today),
    )
    handoff(write_notes, app).put(app, note)


def write_notes(session: Session, notes: list[SearchNote]) -> None:
    """Write a batch of handed-off searches: the counts, then the demand signals (rate-limited)."""
    add_counts(session, [(n.region_id, n.day, n.query, n.found_nothing) for n in notes])
    needs = [n for n in notes if n.need]
    if not needs:
        return
    for note in needs:
        region = session.get(Region, note.region_id)
        # The zorggebied's own taught words group its signals too.
        record_search_miss(
            session,
            region,
            search.synonyms(region.slug),
            note.need,
            filters=note.filters,
            municipality_nis=note.municipality_nis,
            client_key=note.client_key,
        )
