"""The served API description, derived from the HSDS 3.1 OpenAPI document (openapi.json here:
POST operations dropped, our servers, parameters and licence, Flemish additions marked
`x-dienstenwijzer`), and the HSDS JSON schemas it refers to (schemas/, CC BY-SA 4.0)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"


@functools.cache
def _template() -> str:
    return (HERE / "openapi.json").read_text(encoding="utf-8")


def document(base_url: str, schemas_url: str, title: str, license_: dict) -> dict:
    doc = json.loads(_template().replace('"SCHEMAS/', json.dumps(schemas_url)[:-1]))
    doc["info"]["title"] = f"{title}: open data (HSDS 3.1)"
    doc["info"]["license"] = license_
    doc["servers"] = [{"url": base_url}]
    return doc


@functools.cache
def schema(name: str) -> bytes | None:
    path = (SCHEMAS / name).resolve()
    if path.suffix != ".json" or SCHEMAS not in path.parents or not path.is_file():
        return None
    return path.read_bytes()
