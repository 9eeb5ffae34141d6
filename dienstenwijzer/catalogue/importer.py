"""CSV import of a zorggebied's catalogue (format: docs/import.md).

Two steps so nothing is lost on bad input (DESIGN.md invariant 4): `plan_import` reads and
checks every row and reports every error by line and column; `apply_import` writes a plan
without errors. The caller commits once, so an import is all or nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Category, Municipality, Provider, Region, Service
from ..places import Places
from . import rules

REQUIRED = ("naam", "aanbieder", "categorie", "omschrijving", "gemeenten")
OPTIONAL = (
    "straat", "postcode", "gemeente", "telefoon", "email", "website", "dienstencheques",
    "prijs", "doelgroep", "openingsuren", "extern_id",
)
COLUMNS = REQUIRED + OPTIONAL
# The extern_id an export gives a service that has none of its own.
INTERNAL_ID = re.compile(r"dw-(\d+)")
# Cells a spreadsheet would run as a formula; the export prefixes them with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"regel {self.line}, kolom {self.column}" if self.column else f"regel {self.line}"
        return f"{where}: {self.message}"


@dataclass
class ServiceRow:
    """One valid row, cleaned and resolved."""

    line: int
    values: dict  # Service attribute -> value
    provider_name: str
    category_ids: list[str]
    served_nis: list[str]
    external_id: str | None


@dataclass
class ImportPlan:
    rows: list[ServiceRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    providers_created: int = 0
    created_names: list[str] = field(default_factory=list)
    created_services: list = field(default_factory=list)
    updated_names: list[str] = field(default_factory=list)


def unprotect(value: str) -> str:
    """Undo the export's guard against spreadsheet formulas ("'=..." -> "=...")."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"regel {line}: het bestand is geen UTF-8. Bewaar het in Excel als "
            "'CSV UTF-8 (door lijstscheidingsteken gescheiden)'."
        ) from None


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, no header)."""


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def plan_import(session: Session, region: Region, text: str, places: Places) -> ImportPlan:
    plan = ImportPlan()
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        plan.errors.append(RowError(1, None, "het bestand is leeg: de eerste regel moet de kolomnamen bevatten"))
        return plan
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    for column in missing:
        plan.errors.append(RowError(1, column, "deze verplichte kolom ontbreekt"))
    unknown = [h for h in header if h and h not in COLUMNS]
    for column in unknown:
        plan.errors.append(
            RowError(1, column, f"onbekende kolom; toegelaten zijn: {', '.join(COLUMNS)}")
        )
    if missing:
        return plan

    categories = {c.id: c for c in session.scalars(select(Category))}
    seen_ids: dict[str, int] = {}
    line = reader.line_num
    for record in reader:
        start_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            plan.errors.append(
                RowError(start_line, None, f"{len(record)} velden, maar de kop heeft er {len(header)}: "
                         "staat er een scheidingsteken te veel?")
            )
            continue
        row = {h: unprotect(record[i].strip()) if i < len(record) else "" for i, h in enumerate(header)}
        checked = _check_row(start_line, row, categories, places, region, plan.errors)
        if checked is None:
            continue
        if checked.external_id:
            first = seen_ids.setdefault(checked.external_id, start_line)
            if first != start_line:
                plan.errors.append(
                    RowError(start_line, "extern_id", f"'{checked.external_id}' staat ook al op regel {first}")
                )
                continue
        plan.rows.append(checked)
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(2, None, "het bestand bevat geen diensten"))
    return plan


def _check_row(line, row, categories, places: Places, region, errors) -> ServiceRow | None:
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    def cleaned(column: str, rule=None):
        value = row.get(column, "")
        if not value:
            return None
        try:
            value = rules.check_length(column, value)
            return rule(value) if rule else value
        except rules.RuleError as exc:
            fail(column, str(exc))
            return None

    for column in REQUIRED:
        if not row.get(column):
            fail(column, "is verplicht en mag niet leeg zijn")
    name = cleaned("naam")
    provider = cleaned("aanbieder")
    description = cleaned("omschrijving")

    category_ids = []
    for cid in rules.split_list(row.get("categorie", "")):
        if cid.lower() in categories:
            category_ids.append(cid.lower())
        else:
            fail("categorie", f"onbekende categorie '{cid}' (gebruik de id's uit de taxonomie, bv. poetsen)")

    served = []
    for part in rules.split_list(row.get("gemeenten", "")):
        try:
            nis_code = rules.municipality(places, part, "gemeenten").nis_code
        except rules.FieldRuleError as exc:
            fail(exc.column, str(exc))
            continue
        if nis_code not in served:
            served.append(nis_code)

    code = cleaned("postcode", rules.postcode)
    nis = None
    if code or not row.get("postcode"):  # a malformed postcode is reported already
        try:
            nis = rules.address(places, code, row.get("gemeente"))
        except rules.FieldRuleError as exc:
            fail(exc.column, str(exc))

    dienstencheques = cleaned("dienstencheques", rules.yes_no) or False
    chosen = [categories[c] for c in category_ids]
    if dienstencheques and chosen and not rules.dienstencheques_allowed(chosen):
        fail("dienstencheques", rules.DIENSTENCHEQUES_REFUSED)

    values = {
        "name": name,
        "description": description,
        "street": cleaned("straat"),
        "postcode": code,
        "municipality_nis": nis,
        "phone": cleaned("telefoon", rules.phone),
        "email": cleaned("email", rules.email),
        "website": cleaned("website", rules.website),
        "dienstencheques": dienstencheques,
        "price": cleaned("prijs"),
        "target_group": cleaned("doelgroep"),
        "opening_hours": cleaned("openingsuren"),
    }
    external_id = cleaned("extern_id")
    if len(errors) > before:
        return None
    values["lat"], values["lon"] = places.point_for(code, nis, served) or (None, None)
    return ServiceRow(line, values, provider, category_ids, served, external_id)


def apply_import(session: Session, region: Region, plan: ImportPlan, today: dt.date | None = None) -> ImportSummary:
    """Write a valid plan. Flushes, never commits: the caller commits once."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    today = today or dt.date.today()
    summary = ImportSummary()
    providers = {p.name: p for p in session.scalars(select(Provider).where(Provider.region_id == region.id))}
    existing = {
        s.external_id: s
        for s in session.scalars(
            select(Service).where(Service.region_id == region.id, Service.external_id.is_not(None))
        )
    }
    categories = {c.id: c for c in session.scalars(select(Category))}
    municipalities = {m.nis_code: m for m in session.scalars(select(Municipality))}
    for row in plan.rows:
        provider = providers.get(row.provider_name)
        if provider is None:
            provider = Provider(
                region_id=region.id,
                name=row.provider_name,
                street=row.values["street"],
                postcode=row.values["postcode"],
                municipality_nis=row.values["municipality_nis"],
                phone=row.values["phone"],
                email=row.values["email"],
                website=row.values["website"],
            )
            session.add(provider)
            providers[row.provider_name] = provider
            summary.providers_created += 1
        service = _existing_service(session, region, existing, row.external_id)
        new_categories = [categories[c] for c in row.category_ids]
        new_served = [municipalities[n] for n in row.served_nis]
        if service is None:
            service = Service(region_id=region.id, external_id=row.external_id, last_checked=today)
            session.add(service)
            _assign(service, provider, row.values, new_categories, new_served)
            summary.created += 1
            summary.created_names.append(service.name)
            summary.created_services.append(service)
        elif _differs(service, provider, row.values, new_categories, new_served):
            _assign(service, provider, row.values, new_categories, new_served)
            service.last_checked = today
            summary.updated += 1
            summary.updated_names.append(service.name)
        else:
            summary.unchanged += 1
    session.flush()
    return summary


def _existing_service(session: Session, region: Region, by_external_id: dict, key: str | None) -> Service | None:
    """By extern_id; an export gives services without one the id "dw-<id>" (see export.py)."""
    if not key:
        return None
    if key in by_external_id:
        return by_external_id[key]
    match = INTERNAL_ID.fullmatch(key)
    if match:
        service = session.get(Service, int(match.group(1)))
        if service is not None and service.region_id == region.id and service.external_id is None:
            return service
    return None


def _assign(service: Service, provider: Provider, values: dict, categories, served) -> None:
    service.provider = provider
    for key, value in values.items():
        setattr(service, key, value)
    service.categories = categories
    service.municipalities = served


def _differs(service: Service, provider: Provider, values: dict, categories, served) -> bool:
    if service.provider is not provider:
        return True
    if any(getattr(service, k) != v for k, v in values.items() if k not in ("lat", "lon")):
        return True
    if {c.id for c in service.categories} != {c.id for c in categories}:
        return True
    return {m.nis_code for m in service.municipalities} != {m.nis_code for m in served}
