"""Taught search words: add, change, remove, and "dit bedoelden ze" from a niche.

Service functions: they flush, never commit. Every change raises synonym_version in the same
transaction, so each process's follower reloads the words (search/region_synonyms.py); a word
for a service also bumps that service's updated_at, so the outbox rewrites its document with
the word in it (search/documents.py). Every change leaves an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..audit import current_actor
from ..clock import utcnow
from ..demand.grouping import niche_for_key, normalise
from ..demand.niches import merge, update_niche
from ..models import (
    AuditEntry,
    Category,
    Niche,
    NicheKey,
    Region,
    RegionSynonym,
    Service,
    SynonymVersion,
    service_categories,
)
from ..models.catalogue import STATUS_ACTIVE
from ..models.demand import NICHE_FILLED, NICHE_OPEN
from ..search.analysis import STOP_WORDS, words
from ..search.region_synonyms import VERSION_ROW
from ..search.synonyms import MAX_PHRASE_WORDS, SynonymIndex, phrase_key

MAX_TERM_LENGTH = 120


class WordError(ValueError):
    """A Dutch message for the person who typed the word."""


@dataclass(frozen=True)
class Target:
    """What residents mean by the word: a category, or one service of the zorggebied."""

    category: Category | None = None
    service: Service | None = None

    @property
    def label(self) -> str:
        return f"categorie {self.category.id}" if self.category else f"dienst {self.service.id}"


def clean_term(text: str, target: Target) -> str:
    """The word as residents type it, folded: "  Ramen-Lapper " -> "ramen lapper"."""
    term = " ".join(words(text or ""))
    if not term:
        raise WordError("Typ het woord of de zin die inwoners gebruiken.")
    if len(term) > MAX_TERM_LENGTH:
        raise WordError(f"Gebruik hoogstens {MAX_TERM_LENGTH} tekens.")
    if not phrase_key(term):
        raise WordError(
            "Dit zijn alleen kleine woorden zoals “de” of “aan huis”. Typ een woord dat zegt wat ze zoeken."
        )
    if (
        target.category is not None
        and len([w for w in words(term) if w not in STOP_WORDS]) > MAX_PHRASE_WORDS
    ):
        raise WordError(f"Gebruik voor een categorie hoogstens {MAX_PHRASE_WORDS} woorden.")
    return term


def check_unique(
    session: Session, region: Region | None, term: str, exclude_id: int | None = None
) -> None:
    """One meaning per word per zorggebied; a word taught to all zorggebieden counts everywhere."""
    query = select(RegionSynonym).where(RegionSynonym.term == term)
    if region is not None:
        query = query.where(
            (RegionSynonym.region_id == region.id) | RegionSynonym.region_id.is_(None)
        )
    if exclude_id is not None:
        query = query.where(RegionSynonym.id != exclude_id)
    if session.scalar(query.limit(1)) is not None:
        raise WordError("Dit woord staat al in de lijst. Pas het daar aan.")


def bump_version(session: Session) -> None:
    """Raise the one version row (made on first use): every process reloads the words."""
    dialect = session.get_bind().dialect.name
    maker = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        maker(SynonymVersion)
        .values(id=VERSION_ROW, version=0, changed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["id"])
    )
    session.execute(
        update(SynonymVersion)
        .where(SynonymVersion.id == VERSION_ROW)
        .values(version=SynonymVersion.version + 1, changed_at=utcnow())
    )


def _reindex(service: Service | None) -> None:
    # A new updated_at makes the outbox hook write a row: its document gets the new words.
    if service is not None:
        service.updated_at = utcnow()


def _audit(
    session: Session, region: Region, entity: str, entity_id: int, action: str, changes: dict
) -> None:
    user_id, label = current_actor()
    session.add(
        AuditEntry(
            region_id=region.id,
            user_id=user_id,
            actor=label,
            entity=entity,
            entity_id=entity_id,
            action=action,
            changes=changes,
            created_at=utcnow(),
        )
    )


def _describe(synonym: RegionSynonym) -> dict:
    return {
        "term": synonym.term,
        "category": synonym.category_id,
        "service": synonym.service_id,
        "zorggebied": "alle" if synonym.region_id is None else synonym.region_id,
    }


def add_word(
    session: Session, region: Region, term: str, target: Target, *, all_regions: bool = False
) -> RegionSynonym:
    """Teach the word in this zorggebied (or, from an admin, every zorggebied: categories only)."""
    scope = None if all_regions else region
    if all_regions and target.service is not None:
        raise WordError("Een woord voor één dienst geldt alleen in het eigen zorggebied.")
    check_unique(session, scope, term)
    synonym = RegionSynonym(
        region_id=None if scope is None else region.id,
        term=term,
        category=target.category,
        service=target.service,
    )
    session.add(synonym)
    _reindex(target.service)
    bump_version(session)
    session.flush()
    _audit(
        session,
        region,
        "synonym",
        synonym.id,
        "create",
        {k: [None, v] for k, v in _describe(synonym).items() if v is not None},
    )
    session.flush()
    return synonym


def change_word(
    session: Session, region: Region, synonym: RegionSynonym, term: str, target: Target
) -> None:
    scope = None if synonym.region_id is None else region
    if synonym.region_id is None and target.service is not None:
        raise WordError("Een woord voor één dienst geldt alleen in het eigen zorggebied.")
    check_unique(session, scope, term, exclude_id=synonym.id)
    before = _describe(synonym)
    _reindex(synonym.service)
    synonym.term, synonym.category, synonym.service = term, target.category, target.service
    _reindex(target.service)
    synonym.updated_at = utcnow()
    bump_version(session)
    session.flush()
    after = _describe(synonym)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        _audit(session, region, "synonym", synonym.id, "update", changes)
    session.flush()


def remove_word(session: Session, region: Region, synonym: RegionSynonym) -> None:
    _audit(
        session,
        region,
        "synonym",
        synonym.id,
        "delete",
        {k: [v, None] for k, v in _describe(synonym).items() if v is not None},
    )
    _reindex(synonym.service)
    session.delete(synonym)
    bump_version(session)
    session.flush()


def resolve_needs(
    session: Session,
    region: Region,
    niche: Niche | None,
    term: str,
    target: Target,
    synonyms_before: SynonymIndex,
) -> list[Niche]:
    """ "Dit bedoelden ze": the open niches of these words are met or re-grouped.

    The niche it was taught from, and every open niche whose key is this word's (as grouped
    before it was taught). A service: the niche is "ingevuld" by that service. A category with
    active services here: "ingevuld" (the words now find them). A category without any: the
    need is real, so its signals join the category's niche (re-grouped).
    """
    normalised, _categories = normalise(term, synonyms_before)
    found = session.scalars(
        select(Niche)
        .join(NicheKey, NicheKey.niche_id == Niche.id)
        .where(
            Niche.region_id == region.id,
            Niche.status.in_(NICHE_OPEN),
            NicheKey.key == f"terms:{normalised}",
        )
    ).all()
    niches = list(
        dict.fromkeys(
            [*([niche] if niche is not None and niche.status in NICHE_OPEN else []), *found]
        )
    )
    done = []
    for n in niches:
        before = {"status": n.status, "service": n.service_id}
        if target.service is not None or _has_active_services(session, region, target.category):
            update_niche(
                session, n, title=n.title, status=NICHE_FILLED, service=target.service, reason=None
            )
            _audit(
                session,
                region,
                "niche",
                n.id,
                "update",
                {
                    "status": [before["status"], NICHE_FILLED],
                    "term": [None, term],
                    **(
                        {"service": [before["service"], target.service.id]}
                        if target.service
                        else {}
                    ),
                    **({"category": [None, target.category.id]} if target.category else {}),
                },
            )
            done.append(n)
        else:
            into = niche_for_key(session, region.id, f"cat:{target.category.id}")
            if into.id != n.id:
                _audit(
                    session,
                    region,
                    "niche",
                    n.id,
                    "merge",
                    {"merged_into": [None, into.id], "term": [None, term]},
                )
                merge(session, n, into)
            done.append(into)
    session.flush()
    return done


def _has_active_services(session: Session, region: Region, category: Category) -> bool:
    ids = [
        category.id,
        *session.scalars(select(Category.id).where(Category.parent_id == category.id)),
    ]
    return bool(
        session.scalar(
            select(func.count(Service.id))
            .join(service_categories, service_categories.c.service_id == Service.id)
            .where(
                Service.region_id == region.id,
                Service.status == STATUS_ACTIVE,
                service_categories.c.category_id.in_(ids),
            )
        )
    )
