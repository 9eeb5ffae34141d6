"""Inhabitants per municipality (fixtures/bevolking.csv), for figures per 1 000 inhabitants."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

FILE_NAME = "bevolking.csv"


@cache
def _read(path: Path) -> dict[str, int]:
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["nis_code"]: int(row["inhabitants"]) for row in rows}


def inhabitants(fixtures_dir: str | Path) -> dict[str, int]:
    """NIS code → inhabitants; a municipality missing from the file has no rate (not zero)."""
    path = Path(fixtures_dir) / FILE_NAME
    return dict(_read(path)) if path.exists() else {}


def per_thousand(count: int, people: int | None) -> float | None:
    return None if not people else round(1000.0 * count / people, 2)
