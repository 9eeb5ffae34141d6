"""The audit trail as a person reads it: Dutch labels and values, and each change old → new.

The trail stores what the code knows (`True`, `"archived"`, NIS codes, category ids, ISO
dates; see audit.py); this module turns an entry into what a regisseur reads ("ja",
"gearchiveerd", "Gent, Merelbeke-Melle", "Ramen wassen", "4 maart 2026"). All of it is here,
not in templates, so the history page, tests and any later export say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from .i18n import LOCALE, moment_text
from .models import AuditEntry, Category, Municipality, Provider, Service
from .models.catalogue import STATUS_ACTIVE, STATUS_ARCHIVED
from .models.jobs import INSTRUMENTS, VACANCY_STATUSES

FIELD_LABELS = {
    "name": "Naam",
    "description": "Omschrijving",
    "provider": "Aanbieder",
    "categories": "Soort dienst",
    "municipalities": "Voor inwoners van",
    "street": "Straat",
    "postcode": "Postcode",
    "municipality_nis": "Gemeente (adres)",
    "phone": "Telefoon",
    "email": "E-mailadres",
    "website": "Website",
    "dienstencheques": "Dienstencheques",
    "price": "Prijs",
    "target_group": "Voor wie",
    "opening_hours": "Openingsuren",
    "external_id": "Eigen referentie (extern_id)",
    "status": "Status",
    "last_checked": "Laatst gecontroleerd",
    # Taught words (teaching/) and the niches they fill.
    "term": "Woord",
    "category": "Soort dienst",
    "service": "Dienst",
    "zorggebied": "Zorggebied",
    "merged_into": "Samengevoegd met niche",
}
# The order fields appear in on the form, so a change reads top to bottom like the form.
FIELD_ORDER = list(FIELD_LABELS)

# Vacancies keep their own trail (models.jobs.VacancyChange), read the same way.
VACANCY_FIELD_LABELS = {
    "title": "Titel",
    "provider": "Aanbieder",
    "description": "Omschrijving",
    "instrument": "Instrument",
    "hours_per_week": "Uren per week",
    "municipality_nis": "Plaats van het werk",
    "start_date": "Begindatum",
    "places": "Aantal plaatsen",
    "status": "Status",
}

ACTION_LABELS = {
    "create": "aangemaakt",
    "update": "gewijzigd",
    "archive": "gearchiveerd",
    "restore": "teruggezet",
    "check": "gecontroleerd",
    "delete": "verwijderd",
    "merge": "samengevoegd",
}
ENTITY_LABELS = {
    "service": "Dienst",
    "provider": "Aanbieder",
    "synonym": "Zoekwoord",
    "niche": "Niche",
}
STATUS_LABELS = {
    STATUS_ACTIVE: "actief",
    STATUS_ARCHIVED: "gearchiveerd",
    **{k: v.lower() for k, v in VACANCY_STATUSES.items()},
}
EMPTY = "(leeg)"


@dataclass(frozen=True)
class Item:
    """One value of a list field, and whether this change added or removed it."""

    text: str
    mark: str = ""  # "toegevoegd" | "weggehaald" | ""


@dataclass(frozen=True)
class FieldChange:
    """One field of one change, old and new side by side (a list field: one item per value)."""

    label: str
    old: list[Item]
    new: list[Item]
    is_list: bool = False

    @property
    def old_text(self) -> str:
        return ", ".join(i.text for i in self.old) or EMPTY

    @property
    def new_text(self) -> str:
        return ", ".join(i.text for i in self.new) or EMPTY


@dataclass(frozen=True)
class EntryView:
    entry: AuditEntry
    when: str
    actor: str
    what: str  # "Dienst", "Aanbieder"
    name: str  # the service's or provider's name now
    action: str  # "gewijzigd", ...
    is_new: bool
    changes: list[FieldChange] = field(default_factory=list)


def date_text(value: dt.date | str | None) -> str:
    """A date as "4 maart 2026"; an ISO string from the trail is read back first."""
    if value in (None, ""):
        return EMPTY
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return format_date(value, format="long", locale=LOCALE)


class _Names:
    """Names for the codes in a page of entries, looked up in one query per kind."""

    def __init__(self, session: Session, entries: list):
        nis: set[str] = set()
        categories: set[str] = set()
        services: set[int] = set()
        for entry in entries:
            for key, pair in (entry.changes or {}).items():
                values = [v for side in pair for v in (side if isinstance(side, list) else [side])]
                if key in ("municipalities", "municipality_nis"):
                    nis.update(str(v) for v in values if v)
                elif key in ("categories", "category"):
                    categories.update(str(v) for v in values if v)
                elif key == "service":
                    services.update(int(v) for v in values if v)
        self.municipalities = (
            dict(
                session.execute(
                    select(Municipality.nis_code, Municipality.name).where(
                        Municipality.nis_code.in_(nis)
                    )
                ).all()
            )
            if nis
            else {}
        )
        self.categories = (
            dict(
                session.execute(
                    select(Category.id, Category.label).where(Category.id.in_(categories))
                ).all()
            )
            if categories
            else {}
        )
        ids = {
            kind: {e.entity_id for e in entries if getattr(e, "entity", None) == kind}
            for kind in ENTITY_LABELS
        }
        ids["service"] |= services
        self.entities = {
            ("service", i): n
            for i, n in session.execute(
                select(Service.id, Service.name).where(Service.id.in_(ids["service"]))
            )
        } | {
            ("provider", i): n
            for i, n in session.execute(
                select(Provider.id, Provider.name).where(Provider.id.in_(ids["provider"]))
            )
        }

    def value(self, key: str, value) -> str:
        """One stored value as a person reads it."""
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return "ja" if value else "nee"
        if key == "status":
            return STATUS_LABELS.get(value, str(value))
        if key in ("last_checked", "start_date"):
            return date_text(value)
        if key == "instrument":
            return INSTRUMENTS.get(value, str(value))
        if key in ("municipalities", "municipality_nis"):
            return self.municipalities.get(str(value), str(value))
        if key in ("categories", "category"):
            return self.categories.get(str(value), str(value))
        if key == "service":
            return self.entities.get(("service", value), f"#{value}")
        return str(value)


def _field_change(
    names: _Names, key: str, old, new, labels: dict[str, str] = FIELD_LABELS
) -> FieldChange:
    label = labels.get(key, key)
    if isinstance(old, list) or isinstance(new, list):
        before, after = list(old or []), list(new or [])
        return FieldChange(
            label=label,
            is_list=True,
            old=sorted(
                (Item(names.value(key, v), "" if v in after else "weggehaald") for v in before),
                key=lambda i: i.text,
            ),
            new=sorted(
                (Item(names.value(key, v), "" if v in before else "toegevoegd") for v in after),
                key=lambda i: i.text,
            ),
        )
    return FieldChange(
        label=label,
        old=[] if old is None else [Item(names.value(key, old))],
        new=[] if new is None else [Item(names.value(key, new))],
    )


def describe(session: Session, entries: Iterable[AuditEntry]) -> list[EntryView]:
    """The entries of a page of the trail, ready to show."""
    entries = list(entries)
    names = _Names(session, entries)
    out = []
    for entry in entries:
        changes = entry.changes or {}
        ordered = sorted(changes, key=lambda k: FIELD_ORDER.index(k) if k in FIELD_ORDER else 99)
        out.append(
            EntryView(
                entry=entry,
                when=moment_text(entry.created_at),
                actor=entry.actor,
                what=ENTITY_LABELS.get(entry.entity, entry.entity),
                name=names.entities.get((entry.entity, entry.entity_id), f"#{entry.entity_id}"),
                action=ACTION_LABELS.get(entry.action, entry.action),
                is_new=entry.action == "create",
                changes=[_field_change(names, k, *changes[k]) for k in ordered],
            )
        )
    return out


@dataclass(frozen=True)
class VacancyChangeView:
    when: str
    actor: str
    action: str
    is_new: bool
    changes: list[FieldChange]


def describe_vacancy_changes(session: Session, rows: Iterable) -> list[VacancyChangeView]:
    """A vacancy's trail (VacancyChange rows), read like the catalogue's."""
    rows = list(rows)
    names = _Names(session, rows)
    order = list(VACANCY_FIELD_LABELS)
    return [
        VacancyChangeView(
            when=moment_text(row.created_at),
            actor=row.actor,
            action=ACTION_LABELS.get(row.action, row.action),
            is_new=row.action == "create",
            changes=[
                _field_change(names, k, *row.changes[k], labels=VACANCY_FIELD_LABELS)
                for k in sorted(
                    row.changes or {}, key=lambda k: order.index(k) if k in order else 99
                )
            ],
        )
        for row in rows
    ]
