"""CSV import of a zorggebied's catalogue (format: docs/import.md).

Two passes over the file so nothing is lost on bad input (DESIGN.md invariant 4) and memory
does not grow with the file:

- `plan_import` streams every row, checks it and reports every error by line and column; it
  also counts what the import would do (a dry run that writes nothing);
- `apply_import` streams the file again and writes it in batches of BATCH rows (flush, then
  forget the batch's objects). It flushes, never commits: the caller commits once, so an
  import is all or nothing, and its write transaction lasts only as long as the writing.

Existing services, providers and reference data are looked up per batch or cached, never
loaded per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import pickle
import re
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, selectinload

from ..audit import record_created
from ..clock import utcnow
from ..models import (
    Category,
    Municipality,
    Provider,
    Region,
    Service,
    service_categories,
    service_municipalities,
)
from ..models.catalogue import STATUS_ACTIVE
from ..models.ids import new_uuid
from ..places import Places
from ..search.outbox import record_services
from . import field_rules
from .stored_fields import SERVICE_FIELDS, assign_service, provider_values, service_values

REQUIRED = ("naam", "aanbieder", "categorie", "omschrijving", "gemeenten")
OPTIONAL = (
    "straat",
    "postcode",
    "gemeente",
    "telefoon",
    "email",
    "website",
    "dienstencheques",
    "prijs",
    "doelgroep",
    "openingsuren",
    "extern_id",
    # The service's public id (HSDS, the open-data API): an export carries it, so a re-import
    # updates that service, and an import elsewhere keeps its id.
    "uuid",
)
COLUMNS = REQUIRED + OPTIONAL
# The extern_id an export gives a service that has none of its own.
INTERNAL_ID = re.compile(r"dw-(\d+)")
# Cells a spreadsheet would run as a formula; the export prefixes them with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Rows written per flush; the batch's objects are then dropped from the session.
BATCH = 1000
# Python's csv default (128 KB), set explicitly: the longest real field (omschrijving) is 5000
# characters, so anything near this is a quote left open, reported per line (not a 500).
FIELD_SIZE_LIMIT = 128 * 1024
# How many created and updated names the dry run shows.
NAME_SAMPLE = 50

Progress = Callable[[int], None]  # called with the number of data rows handled since the last call


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
    public_id: str | None = None  # the `uuid` column, normalised


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    providers_created: int = 0
    created_names: list[str] = field(default_factory=list)  # the first NAME_SAMPLE
    updated_names: list[str] = field(default_factory=list)

    def add(self, kind: str, name: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        names = {"created": self.created_names, "updated": self.updated_names}.get(kind)
        if names is not None and len(names) < NAME_SAMPLE:
            names.append(name)


@dataclass
class ImportPlan:
    """The outcome of the checking pass; `summary` is what applying it would do."""

    source: str | Path
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0  # data rows in the file
    summary: ImportSummary = field(default_factory=ImportSummary)
    # The checked rows, pickled a batch at a time (plan_import's keep_rows), so that
    # apply_import need not read and check the file again.
    checked_rows: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def discard(self) -> None:
        """Delete the kept rows (apply_import does this itself)."""
        if self.checked_rows is not None:
            self.checked_rows.unlink(missing_ok=True)
            self.checked_rows = None


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding)."""


class _StopReading(Exception):
    """The rest of the file cannot be read meaningfully; the error is recorded."""


def unprotect(value: str) -> str:
    """Undo the export's guard against spreadsheet formulas ("'=..." -> "=...")."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


NOT_UTF8 = (
    "het bestand is geen UTF-8. Bewaar het in Excel als "
    "'CSV UTF-8 (door lijstscheidingsteken gescheiden)'."
)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"regel {line}: {NOT_UTF8}") from None


def check_utf8(path: Path) -> None:
    """Raise ImportFileError with the first line that is not UTF-8 (streamed, line by line)."""
    with path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise ImportFileError(f"regel {number}: {NOT_UTF8}") from None


def count_lines(path: Path) -> int:
    """Data rows in a file, roughly (physical lines minus the header), for a progress bar."""
    lines = 0
    with path.open("rb") as raw:
        while chunk := raw.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def _open(source: str | Path) -> TextIO:
    if isinstance(source, Path):
        return source.open(encoding="utf-8-sig", newline="")
    return io.StringIO(source.removeprefix("\ufeff"), newline="")


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def _records(
    stream: TextIO, errors: list[RowError], max_rows: int | None
) -> Iterator[tuple[int, dict]]:
    """(line, column -> cleaned cell) for each non-empty data row; problems go to `errors`.

    Stops early (with an error) at a header without the required columns, a field longer than
    FIELD_SIZE_LIMIT, unreadable CSV, or more than `max_rows` rows.
    """
    first = stream.readline()
    if not first.strip():
        errors.append(
            RowError(1, None, "het bestand is leeg: de eerste regel moet de kolomnamen bevatten")
        )
        return
    stream.seek(0)
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    reader = csv.reader(stream, delimiter=_delimiter(first))
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in REQUIRED if c not in header]
    for column in missing:
        errors.append(RowError(1, column, "deze verplichte kolom ontbreekt"))
    for column in (h for h in header if h and h not in COLUMNS):
        errors.append(
            RowError(1, column, f"onbekende kolom; toegelaten zijn: {', '.join(COLUMNS)}")
        )
    if missing:
        return
    line, count = reader.line_num, 0
    while True:
        start_line = line + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(RowError(start_line, None, _csv_problem(exc)))
            return
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        count += 1
        if max_rows is not None and count > max_rows:
            errors.append(RowError(start_line, None, _too_many(max_rows)))
            return
        if len(record) > len(header):
            errors.append(
                RowError(
                    start_line,
                    None,
                    f"{len(record)} velden, maar de kop heeft er "
                    f"{len(header)}: staat er een scheidingsteken te veel?",
                )
            )
            continue
        yield (
            start_line,
            {
                h: unprotect(record[i].strip()) if i < len(record) else ""
                for i, h in enumerate(header)
            },
        )


def _too_many(max_rows: int) -> str:
    limit = f"{max_rows:,}".replace(",", " ")
    return (
        f"het bestand heeft meer dan {limit} diensten; dat is het maximum per bestand. "
        "Splits het in kleinere bestanden en laad ze na elkaar op."
    )


def _csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (
            f"een veld is langer dan {FIELD_SIZE_LIMIT // 1024} KB. Meestal staat er een "
            'aanhalingsteken (") dat niet gesloten wordt; '
            "vanaf hier is het bestand niet gecontroleerd."
        )
    return "deze regel is geen geldige CSV; vanaf hier is het bestand niet gecontroleerd."


def _check_row(line, row, categories, places: Places, errors) -> ServiceRow | None:
    before = len(errors)

    def fail(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    def cleaned(column: str, rule=None):
        value = row.get(column, "")
        if not value:
            return None
        try:
            value = field_rules.check_length(column, value)
            return rule(value) if rule else value
        except field_rules.RuleError as exc:
            fail(column, str(exc))
            return None

    for column in REQUIRED:
        if not row.get(column):
            fail(column, "is verplicht en mag niet leeg zijn")
    name = cleaned("naam")
    provider = cleaned("aanbieder")
    description = cleaned("omschrijving")

    category_ids = []
    for cid in field_rules.split_list(row.get("categorie", "")):
        if cid.lower() in categories:
            category_ids.append(cid.lower())
        else:
            fail(
                "categorie",
                f"onbekende categorie '{cid}' (gebruik de id's uit de taxonomie, bv. poetsen)",
            )

    served = []
    for part in field_rules.split_list(row.get("gemeenten", "")):
        try:
            nis_code = field_rules.municipality(places, part, "gemeenten").nis_code
        except field_rules.FieldRuleError as exc:
            fail(exc.column, str(exc))
            continue
        if nis_code not in served:
            served.append(nis_code)

    code = cleaned("postcode", field_rules.postcode)
    nis = None
    if code or not row.get("postcode"):  # a malformed postcode is reported already
        try:
            nis = field_rules.address(places, code, row.get("gemeente"))
        except field_rules.FieldRuleError as exc:
            fail(exc.column, str(exc))

    dienstencheques = cleaned("dienstencheques", field_rules.yes_no) or False
    chosen = [categories[c] for c in category_ids]
    if dienstencheques and chosen and not field_rules.dienstencheques_allowed(chosen):
        fail("dienstencheques", field_rules.DIENSTENCHEQUES_REFUSED)

    fields = {
        "name": name,
        "description": description,
        "street": cleaned("straat"),
        "postcode": code,
        "municipality_nis": nis,
        "phone": cleaned("telefoon", field_rules.phone),
        "email": cleaned("email", field_rules.email),
        "website": cleaned("website", field_rules.website),
        "dienstencheques": dienstencheques,
        "price": cleaned("prijs"),
        "target_group": cleaned("doelgroep"),
        "opening_hours": cleaned("openingsuren"),
    }
    external_id = cleaned("extern_id")
    public_id = cleaned("uuid", _public_id)
    if len(errors) > before:
        return None
    values = service_values(fields, served, places)
    return ServiceRow(line, values, provider, category_ids, served, external_id, public_id)


def _public_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise field_rules.RuleError(
            "is geen geldige id: laat de kolom uuid uit een export staan zoals ze is, of maak "
            "ze leeg voor een nieuwe dienst"
        ) from None


def _checked_rows(
    stream: TextIO,
    categories: dict,
    places: Places,
    errors: list[RowError],
    max_rows: int | None,
    progress: Progress | None,
) -> Iterator[ServiceRow]:
    """Valid rows of the file, in order; every problem is added to `errors`."""
    # extern_id or uuid -> line: the only state that grows with the file
    first_line_of: dict[tuple[str, str], int] = {}
    handled = 0
    for line, record in _records(stream, errors, max_rows):
        handled += 1
        if progress and handled % BATCH == 0:
            progress(BATCH)
        checked = _check_row(line, record, categories, places, errors)
        if checked is None:
            continue
        repeated = [
            RowError(line, column, f"'{key}' staat ook al op regel {first}")
            for column, key in (("extern_id", checked.external_id), ("uuid", checked.public_id))
            if key and (first := first_line_of.setdefault((column, key), line)) != line
        ]
        if repeated:
            errors.extend(repeated)
            continue
        yield checked
    if progress:
        progress(handled % BATCH)


def _batches(rows: Iterator[ServiceRow]) -> Iterator[list[ServiceRow]]:
    batch: list[ServiceRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _Catalogue:
    """What one import needs to know about the zorggebied's catalogue, looked up per batch."""

    def __init__(self, session: Session, region: Region):
        self.session, self.region = session, region
        self.categories = {c.id: c for c in session.scalars(select(Category))}
        self.providers = {
            p.name: p
            for p in session.scalars(select(Provider).where(Provider.region_id == region.id))
        }
        self.new_provider_names: set[str] = set()  # dry run: providers the import would create
        self._municipalities: dict[str, Municipality] | None = None
        # Services the caller already holds stay in the session; the import's own are dropped.
        self.callers_services = {
            key for key, obj in session.identity_map.items() if isinstance(obj, Service)
        }

    @property
    def municipalities(self) -> dict[str, Municipality]:
        if self._municipalities is None:
            self._municipalities = {
                m.nis_code: m for m in self.session.scalars(select(Municipality))
            }
        return self._municipalities

    def load(self, ids: list[int]) -> list[Service]:
        """Services just inserted in bulk, as objects (with their categories)."""
        return list(
            self.session.scalars(
                select(Service).options(selectinload(Service.categories)).where(Service.id.in_(ids))
            )
        )

    def existing(self, batch: list[ServiceRow]) -> tuple[dict[int, Service], set[str]]:
        """Row line -> the service it updates, for one batch of rows; and the uuids in the
        batch that belong to another zorggebied's service.

        The uuid decides first (an export carries it); else the extern_id. An export gives
        services without an extern_id the id "dw-<id>" (see export.py); that id only means
        something in the install that wrote it, so a row whose uuid is unknown here (a file
        from another install) is not matched by it."""
        loading = (selectinload(Service.categories), selectinload(Service.municipalities))
        public_ids = [r.public_id for r in batch if r.public_id]
        by_uuid: dict[str, Service] = {}
        foreign: set[str] = set()
        if public_ids:
            for s in self.session.scalars(
                select(Service).options(*loading).where(Service.uuid.in_(public_ids))
            ):
                if s.region_id == self.region.id:
                    by_uuid[s.uuid] = s
                else:
                    foreign.add(s.uuid)
        by_external = self._by_external_id(
            [r for r in batch if r.external_id and r.public_id not in by_uuid], loading
        )
        found: dict[int, Service] = {}
        for row in batch:
            if row.public_id in by_uuid:
                found[row.line] = by_uuid[row.public_id]
            elif row.external_id in by_external and not (
                row.public_id and INTERNAL_ID.fullmatch(row.external_id)
            ):
                found[row.line] = by_external[row.external_id]
        return found, foreign

    def _by_external_id(self, rows: list[ServiceRow], loading) -> dict[str, Service]:
        keys = [r.external_id for r in rows]
        if not keys:
            return {}
        found = {
            s.external_id: s
            for s in self.session.scalars(
                select(Service)
                .options(*loading)
                .where(Service.region_id == self.region.id, Service.external_id.in_(keys))
            )
        }
        internal = {
            int(m.group(1)): k for k in keys if k not in found and (m := INTERNAL_ID.fullmatch(k))
        }
        if internal:
            for s in self.session.scalars(
                select(Service)
                .options(*loading)
                .where(
                    Service.region_id == self.region.id,
                    Service.external_id.is_(None),
                    Service.id.in_(internal),
                )
            ):
                found[internal[s.id]] = s
        return found


def plan_import(
    session: Session,
    region: Region,
    source: str | Path,
    places: Places,
    *,
    max_rows: int | None = None,
    progress: Progress | None = None,
    keep_rows: bool = False,
) -> ImportPlan:
    """Check every row of a CSV (text, or a file streamed from disk); write nothing.

    `keep_rows`: keep the checked rows in a temporary file for apply_import, which then skips
    checking them again (call `plan.discard()` if it is not applied). Raises ImportFileError
    when a file on disk is not UTF-8."""
    if isinstance(source, Path):
        check_utf8(source)
    plan = ImportPlan(source)
    catalogue = _Catalogue(session, region)

    def counted(rows: int) -> None:
        plan.rows += rows
        if progress:
            progress(rows)

    spill = None
    if keep_rows:
        fd, name = tempfile.mkstemp(prefix="dienstenwijzer-rows-", suffix=".pickle")
        plan.checked_rows, spill = Path(name), os.fdopen(fd, "wb")
    try:
        with _open(source) as stream:
            rows = _checked_rows(
                stream, catalogue.categories, places, plan.errors, max_rows, counted
            )
            for batch in _batches(rows):
                _handle(catalogue, batch, plan.summary, today=None, errors=plan.errors)
                _forget(session, catalogue, batch)
                if spill:
                    pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        plan.discard()
        raise
    finally:
        if spill:
            spill.close()
    if plan.rows == 0 and not plan.errors:
        plan.errors.append(RowError(2, None, "het bestand bevat geen diensten"))
    if plan.errors:
        plan.discard()
    return plan


def apply_import(
    session: Session,
    region: Region,
    plan: ImportPlan,
    today: dt.date | None = None,
    *,
    places: Places | None = None,
    progress: Progress | None = None,
    on_created: Callable[[Session, list[Service]], object] | None = None,
) -> ImportSummary:
    """Write a plan without errors, BATCH rows per flush. Never commits: the caller commits once.

    Writes the rows the plan kept, or else reads and checks the file again; an error then
    raises ValueError and the caller rolls back. Existing services are looked up again per
    batch (the catalogue may have changed since the plan). `on_created` sees each batch's new
    services while they are still in the session."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    today = today or dt.date.today()
    catalogue = _Catalogue(session, region)
    summary = ImportSummary()
    errors: list[RowError] = []
    try:
        for batch in _planned_batches(plan, catalogue, places or Places(session), errors, progress):
            if errors:
                break
            created = _handle(catalogue, batch, summary, today=today, errors=errors)
            session.flush()
            if on_created and created:
                on_created(session, catalogue.load(created))
            _forget(session, catalogue, batch)
    finally:
        plan.discard()
    if errors:
        raise ValueError(f"the file changed or no longer passes its checks: {errors[0]}")
    return summary


def _planned_batches(
    plan: ImportPlan, catalogue: _Catalogue, places: Places, errors: list, progress: Progress | None
) -> Iterator[list[ServiceRow]]:
    if plan.checked_rows is not None:
        with plan.checked_rows.open("rb") as kept:
            while True:
                try:
                    batch = pickle.load(kept)  # written by plan_import, in a private temp file
                except EOFError:
                    return
                if progress:
                    progress(len(batch))
                yield batch
    with _open(plan.source) as stream:
        yield from _batches(
            _checked_rows(stream, catalogue.categories, places, errors, None, progress)
        )


def _handle(
    catalogue: _Catalogue,
    batch: list[ServiceRow],
    summary: ImportSummary,
    today: dt.date | None,
    errors: list[RowError],
) -> list[int]:
    """Count (today None: dry run) or write one batch; the ids of the services it creates.

    New services are inserted in bulk (one executemany per table) rather than as ORM objects:
    that is most of a large import, and the unit of work cost several times the insert itself.
    Changed services go through the ORM, whose flush hooks write their audit and outbox rows."""
    write = today is not None
    existing, foreign = catalogue.existing(batch)
    new_rows: list[tuple[ServiceRow, Provider]] = []
    for row in batch:
        if row.public_id in foreign:
            errors.append(
                RowError(
                    row.line,
                    "uuid",
                    f"'{row.public_id}' is de id van een dienst van een ander zorggebied",
                )
            )
            continue
        provider = catalogue.providers.get(row.provider_name)
        if provider is None and row.provider_name not in catalogue.new_provider_names:
            summary.providers_created += 1
            if write:
                provider = _new_provider(catalogue, row)
            else:
                catalogue.new_provider_names.add(row.provider_name)
        service = existing.get(row.line)
        if service is None:
            summary.add("created", row.values["name"])
            if write:
                new_rows.append((row, provider))
        elif provider is None or _differs(catalogue, service, provider, row):
            summary.add("updated", row.values["name"])
            if write:
                _assign(catalogue, service, provider, row)
                service.last_checked = today
        else:
            summary.add("unchanged", row.values["name"])
    if not new_rows:
        return []
    catalogue.session.flush()  # new providers get their ids, changed services are written
    return _insert_services(catalogue, new_rows, today)


def _insert_returning_ids(session: Session, rows: list[dict]) -> list[int]:
    """Insert services in one executemany; their new ids, in the order of `rows`.

    SQLAlchemy cannot rely on the order of SQLite's RETURNING, so there it inserts row by row
    and splices the results together (quadratic: 3.7 million row fetches for 10 000 rows).
    SQLite has one writer: inside our write transaction an executemany's rowids are
    consecutive and end at last_insert_rowid(). PostgreSQL returns them in order, batched."""
    if session.get_bind().dialect.name != "sqlite":
        return list(
            session.scalars(
                insert(Service).returning(Service.id, sort_by_parameter_order=True), rows
            )
        )
    session.execute(insert(Service), rows)
    last = session.scalar(text("SELECT last_insert_rowid()"))
    first = last - len(rows) + 1
    inserted = session.scalar(select(func.count(Service.id)).where(Service.id.between(first, last)))
    if inserted != len(rows):  # never expected; refuse rather than link rows to wrong ids
        raise RuntimeError("the new services did not get consecutive ids")
    return list(range(first, last + 1))


def _insert_services(
    catalogue: _Catalogue, rows: list[tuple[ServiceRow, Provider]], today: dt.date
) -> list[int]:
    """Insert new services with their categories and places, audit and outbox rows."""
    session, region_id = catalogue.session, catalogue.region.id
    now = utcnow()
    ids = _insert_returning_ids(
        session,
        [
            {
                **row.values,
                "region_id": region_id,
                "provider_id": provider.id,
                "external_id": row.external_id,
                # A row from another install's export keeps its id.
                "uuid": row.public_id or new_uuid(),
                "last_checked": today,
                "status": STATUS_ACTIVE,
                "created_at": now,
                "updated_at": now,
            }
            for row, provider in rows
        ],
    )
    connection = session.connection()
    pairs = list(zip(ids, (row for row, _ in rows), strict=True))
    connection.execute(
        insert(service_categories),
        [{"service_id": i, "category_id": c} for i, row in pairs for c in row.category_ids],
    )
    connection.execute(
        insert(service_municipalities),
        [{"service_id": i, "nis_code": n} for i, row in pairs for n in row.served_nis],
    )
    record_created(
        session,
        Service,
        [
            (
                region_id,
                i,
                {
                    **row.values,
                    "provider": provider.name,
                    "categories": row.category_ids,
                    "municipalities": row.served_nis,
                    "external_id": row.external_id,
                    "last_checked": today,
                },
            )
            for i, (row, provider) in zip(ids, rows, strict=True)
        ],
    )
    record_services(session, ids)
    return ids


def _new_provider(catalogue: _Catalogue, row: ServiceRow) -> Provider:
    provider = Provider(
        region_id=catalogue.region.id, **provider_values(row.provider_name, row.values)
    )
    catalogue.session.add(provider)
    catalogue.providers[row.provider_name] = provider
    return provider


def _assign(catalogue: _Catalogue, service: Service, provider: Provider, row: ServiceRow) -> None:
    assign_service(
        service,
        provider,
        row.values,
        [catalogue.categories[c] for c in row.category_ids],
        [catalogue.municipalities[n] for n in row.served_nis],
    )


def _differs(catalogue: _Catalogue, service: Service, provider: Provider, row: ServiceRow) -> bool:
    if service.provider_id != provider.id:
        return True
    if any(getattr(service, k) != row.values[k] for k in SERVICE_FIELDS):
        return True
    if {c.id for c in service.categories} != set(row.category_ids):
        return True
    return {m.nis_code for m in service.municipalities} != set(row.served_nis)


def _forget(session: Session, catalogue: _Catalogue, batch: list[ServiceRow]) -> None:
    """Drop a written batch from the session so memory does not grow with the file."""
    for key, obj in list(session.identity_map.items()):
        if isinstance(obj, Service) and key not in catalogue.callers_services:
            session.expunge(obj)
    # Assigning service.provider appended the service to provider.services: forget those lists.
    for name in {row.provider_name for row in batch}:
        provider = catalogue.providers.get(name)
        if provider is not None and "services" in provider.__dict__:
            session.expire(provider, ["services"])
