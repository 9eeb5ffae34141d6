"""Each process's synonyms per zorggebied: the standard ones plus the words regisseurs taught.

The database is the source of truth. A change to region_synonym raises synonym_version in the
same transaction (teaching/words.py); every process reads that one row on each follower pass
(or search poll) and, when it moved, reloads the taught words and rebuilds only the
zorggebieden whose words changed. The engine sees a new SynonymIndex object for those and
drops their cached results, so a taught word works in every worker within a poll.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import SynonymVersion
from .synonyms import ALL_REGIONS, SynonymIndex, taught_categories

VERSION_ROW = 1


def current_version(session: Session) -> int:
    return (
        session.scalar(select(SynonymVersion.version).where(SynonymVersion.id == VERSION_ROW)) or 0
    )


class RegionSynonyms:
    def __init__(self, open_session: Callable[[], Session]):
        self._open_session = open_session
        self._lock = threading.Lock()
        self._base: tuple[object, SynonymIndex] | None = None  # (generation path, index)
        self._version: int | None = None
        self._taught: dict[str | None, tuple[tuple[str, str], ...]] = {}
        self._merged: dict[str | None, SynonymIndex] = {}

    def for_region(self, slug: str | None, base_key: object) -> SynonymIndex:
        """The synonyms searches of this zorggebied use (None: only the standard and all-region)."""
        merged = self._merged.get(slug)
        base = self._base
        if merged is not None and base is not None and base[0] == base_key:
            return merged
        with self._lock:
            if self._base is None or self._base[0] != base_key:
                # The taxonomy changes with `init`, which `reindex`es: load it per generation.
                with self._open_session() as session:
                    self._base = (base_key, SynonymIndex.from_session(session))
                    if self._version is None:
                        self._load_taught(session)
                self._merged = {}
            merged = self._merged.get(slug)
            if merged is None:
                terms = self._taught.get(ALL_REGIONS, ())
                if slug is not None:
                    terms += self._taught.get(slug, ())
                merged = self._base[1].with_terms(terms)
                self._merged = {**self._merged, slug: merged}
            return merged

    def refresh(self, session: Session | None = None) -> bool:
        """Reload the taught words if their version moved; True when something changed."""
        if session is None:
            with self._open_session() as own:
                return self.refresh(own)
        version = current_version(session)
        if version == self._version:
            return False
        with self._lock:
            if version == self._version:
                return False
            return self._load_taught(session, version)

    def _load_taught(self, session: Session, version: int | None = None) -> bool:
        if version is None:
            version = current_version(session)
        taught = taught_categories(session)
        old = self._taught
        changed = {slug for slug in old.keys() | taught.keys() if old.get(slug) != taught.get(slug)}
        if ALL_REGIONS in changed:
            self._merged = {}
        elif changed:
            self._merged = {k: v for k, v in self._merged.items() if k not in changed}
        self._taught, self._version = taught, version
        return bool(changed)
