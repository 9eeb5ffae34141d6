"""The open-data API's query parameters, read and checked in one place.

HSDS parameters (search, page, per_page, taxonomy_term_id, taxonomy_id, organization_id,
modified_after, minimal, full, postcode, proximity, format) and the Flemish search filters of
the residents' search page (categorie, gemeente, dienstencheques, km). Unknown parameters are
ignored, as HSDS asks; a bad value is a 400 with every problem named, in Dutch.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from ..paging import MAX_PAGE
from ..places import Places
from ..public.search_form import PAGE_MESSAGE

# The residents' search filters: they go through the search page's own form (search_form.py).
SEARCH_FILTERS = ("categorie", "gemeente", "dienstencheques", "km")
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
MAX_PROXIMITY_METRES = 100_000
TRUE, FALSE = {"true", "1", "yes", "ja"}, {"false", "0", "no", "nee", ""}


class BadParameters(Exception):
    def __init__(self, fields: dict[str, list[str]]):
        super().__init__(fields)
        self.fields = fields


@dataclass(frozen=True)
class ApiQuery:
    search: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: dt.datetime | None = None  # naive UTC, like the stored timestamps
    minimal: bool = False
    full: bool = False
    postcode: str | None = None
    proximity_m: float | None = None
    ndjson: bool = False
    search_filters: bool = False  # categorie, gemeente, dienstencheques or km was given

    @property
    def uses_search(self) -> bool:
        return bool(self.search) or self.search_filters


def read(args: MultiDict, places: Places) -> ApiQuery:
    """The parameters of a list request, or BadParameters naming each bad one."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    def number(name: str, default: int, low: int, high: int, message: str) -> int:
        raw = args.get(name, "").strip()
        if raw == "":
            return default
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw[:12]) <= high:
            fail(name, message)
            return default
        return int(raw)

    def flag(name: str) -> bool:
        raw = args.get(name, "").strip().lower()
        if raw in TRUE:
            return True
        if raw not in FALSE:
            fail(name, "Gebruik true of false.")
        return False

    def an_id(name: str) -> str | None:
        raw = args.get(name, "").strip()
        if not raw:
            return None
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            fail(
                name, "Dit is geen geldige id (een UUID, bv. 3f7b145d-84af-42d7-8fae-eaca714b02b2)."
            )
            return None

    search = args.get("search", "").strip()
    page = number("page", 1, 1, MAX_PAGE, PAGE_MESSAGE)
    per_page = number(
        "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, f"Per pagina kan 1 tot {MAX_PER_PAGE}."
    )
    modified_after = None
    if raw := args.get("modified_after", "").strip():
        if re.search(r"T.* \d\d:\d\d$", raw):  # a "+01:00" sent unencoded arrives as " 01:00"
            raw = raw[:-6] + "+" + raw[-5:]
        try:
            modified_after = _utc(dt.datetime.fromisoformat(raw))
        except ValueError:
            fail("modified_after", "Geef een datum en tijd, bv. 2026-01-31T12:00:00Z.")
    postcode = args.get("postcode", "").strip() or None
    if postcode is not None and not places.postcodes.get(postcode):
        fail(
            "postcode",
            f"Postcode {postcode} bestaat niet."
            if postcode.isdigit() and len(postcode) == 4
            else "Een postcode heeft 4 cijfers, bv. 9000.",
        )
    proximity = None
    if raw := args.get("proximity", "").strip():
        try:
            proximity = float(raw)
        except ValueError:
            proximity = -1.0
        if not 0 < proximity <= MAX_PROXIMITY_METRES:
            fail("proximity", f"Geef een afstand in meter, van 1 tot {MAX_PROXIMITY_METRES}.")
            proximity = None
        elif postcode is None:
            fail("proximity", "Geef ook een postcode: de afstand wordt gemeten vanaf die postcode.")
    fmt = args.get("format", "json").strip().lower() or "json"
    if fmt not in ("json", "ndjson"):
        fail("format", "Kies json of ndjson.")
    query = ApiQuery(
        search=search,
        page=page,
        per_page=per_page,
        taxonomy_term_id=an_id("taxonomy_term_id"),
        taxonomy_id=an_id("taxonomy_id"),
        organization_id=an_id("organization_id"),
        modified_after=modified_after,
        minimal=flag("minimal"),
        full=flag("full"),
        postcode=postcode,
        proximity_m=proximity,
        ndjson=fmt == "ndjson",
        search_filters=any(args.get(name) for name in SEARCH_FILTERS),
    )
    if query.ndjson and query.uses_search:
        fail("format", "Een volledige download (ndjson) kan niet samen met zoeken.")
    if query.uses_search and (query.organization_id or query.modified_after):
        name = "organization_id" if query.organization_id else "modified_after"
        fail(
            name, "Deze filter kan niet samen met zoeken (search); gebruik hem zonder zoekwoorden."
        )
    if errors:
        raise BadParameters(errors)
    return query


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment
