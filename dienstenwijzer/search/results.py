"""What a search asks and answers: the request, its hits and the result page's facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from .facets import FacetCounts, Filters


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    per_page: int = 10


@dataclass
class Hit:
    service_id: int
    name: str
    provider: str
    provider_id: int
    description: str
    snippet: Markup
    municipality: str | None
    categories: list[str]
    dienstencheques: bool
    distance_km: float | None
    display: dict
    comes_home: bool = False  # serves the resident's municipality (Filters.home, areas.py)


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: FacetCounts
    searched_text: str  # what was searched: the typed text or its correction
    corrected_from: str | None = None  # nothing found for this; we searched the correction
    suggestion: str | None = None  # "Bedoelde u …?"
    any_word: bool = False  # no service had every word; showing those with some
    query_categories: frozenset[str] = frozenset()  # taxonomy ids the words stand for
    # The things (or synonym phrases) typed that no service of the zorggebied offers at all
    # ("boodschappen zwembad" -> "zwembad"), or the at-home phrase no service meets: a weak
    # match, which the page says plainly and the demand side counts as unmet demand. Missing
    # details ("versteld", "te hoog") are not listed (engine.py, word_kinds.py).
    unmatched: tuple[str, ...] = ()
    # "kapper aan huis" with no hairdresser who comes to the home: how many services offer the
    # need where the resident goes to them, found by searching `need_text` alone.
    elsewhere: int = 0
    need_text: str = ""

    @property
    def weak(self) -> bool:
        return bool(self.unmatched)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
