"""The import file (format: docs/import.md): its columns, and reading it as records.

Problems are collected as RowError (line, column, Dutch message); a file that is not UTF-8 at
all raises ImportFileError. Reading streams: memory does not grow with the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

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
# Python's csv default (128 KB), set explicitly: the longest real field (omschrijving) is 5000
# characters, so anything near this is a quote left open, reported per line (not a 500).
FIELD_SIZE_LIMIT = 128 * 1024


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"regel {self.line}, kolom {self.column}" if self.column else f"regel {self.line}"
        return f"{where}: {self.message}"


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding)."""


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


def open_source(source: str | Path) -> TextIO:
    if isinstance(source, Path):
        return source.open(encoding="utf-8-sig", newline="")
    return io.StringIO(source.removeprefix("\ufeff"), newline="")


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def records(
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
