"""Checking the import's records: each valid row becomes a ServiceRow, cleaned and resolved
(categories, municipalities, its point on the map); every problem is reported by line and
column. Rows come out in batches of BATCH.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TextIO

from ..places import Places
from . import field_rules
from .import_csv import REQUIRED, RowError, records
from .stored_fields import service_values

# Rows written per flush; the batch's objects are then dropped from the session.
BATCH = 1000
Progress = Callable[[int], None]  # called with the number of data rows handled since the last call


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


def check_row(line, row, categories, places: Places, errors) -> ServiceRow | None:
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


def checked_rows(
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
    for line, record in records(stream, errors, max_rows):
        handled += 1
        if progress and handled % BATCH == 0:
            progress(BATCH)
        checked = check_row(line, record, categories, places, errors)
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


def batches(rows: Iterator[ServiceRow]) -> Iterator[list[ServiceRow]]:
    batch: list[ServiceRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
