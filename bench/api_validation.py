#!/usr/bin/env python
"""Walk the whole open-data API as a harvester would and validate every answer: counts.

    python bench/api_validation.py                      # the site's own database (instance/)
    python bench/api_validation.py --database-url sqlite:////path/to/dienstenwijzer.sqlite3

For all of Flanders (/api/v1/) and each zorggebied (/<gebied>/api/v1/): `/`, every page of
/services, /organizations, /taxonomies, /taxonomy_terms and /service_at_locations (50 a page),
and every single item they list. Each answer is checked with the tests' validator (HSDS 3.1
JSON schemas, Draft 2020-12, format checker on: tests/api/hsds_validation.py). Prints per
endpoint the answers and items checked and how many were invalid, with the first problems.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.api.hsds_validation import (
    SCHEMA_OF,
    page_validator,
    problems,
    root_validator,
    validator,
)

PER_PAGE = 50


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--database-url", help="default: the site's own (DIENSTENWIJZER_DATABASE_URL or instance/)"
    )
    ap.add_argument("--regions", help="comma-separated slugs (default: all)")
    args = ap.parse_args()
    from sqlalchemy import select

    from dienstenwijzer import create_app
    from dienstenwijzer.db import db
    from dienstenwijzer.models import Region

    overrides = {"INDEX_FOLLOWER": False, "API_RATE_LIMIT": "1000000 per minute"}
    if args.database_url:
        overrides["DATABASE_URL"] = args.database_url
    app = create_app(overrides)
    with app.app_context():
        slugs = list(db.session.scalars(select(Region.slug).order_by(Region.slug)))
    if args.regions:
        slugs = [s for s in slugs if s in args.regions.split(",")]
    client = app.test_client()
    answers, items, bad_answers, bad_items = Counter(), Counter(), Counter(), Counter()
    shown: list[str] = []
    started = time.perf_counter()

    def check(kind: str, url: str, checker, item_checker=None) -> dict | None:
        response = client.get(url)
        answers[kind] += 1
        if response.status_code != 200:
            bad_answers[kind] += 1
            shown.append(f"{url}: HTTP {response.status_code}")
            return None
        body = response.get_json()
        found = problems(checker, body)
        if found:
            bad_answers[kind] += 1
            shown.extend(f"{url}: {p}" for p in found[:3])
        for item in body.get("contents", []) if item_checker else []:
            items[kind] += 1
            if problems(item_checker, item):
                bad_items[kind] += 1
        return body

    for prefix in ["/api/v1", *(f"/{s}/api/v1" for s in slugs)]:
        check("/", f"{prefix}/", root_validator())
        for endpoint, (list_schema, item_schema) in SCHEMA_OF.items():
            one = validator(item_schema)
            page, ids = 1, []
            while True:
                body = check(
                    endpoint,
                    f"{prefix}/{endpoint}?per_page={PER_PAGE}&page={page}",
                    page_validator(list_schema),
                    validator(list_schema),
                )
                if body is None:
                    break
                ids += [item["id"] for item in body["contents"]]
                if body["last_page"] or not body["contents"]:
                    break
                page += 1
            for item_id in ids:
                check(f"{endpoint}/{{id}}", f"{prefix}/{endpoint}/{item_id}", one)
    print(f"{len(slugs)} zorggebieden and Flanders, {time.perf_counter() - started:.0f} s")
    print(f"{'endpoint':<28}{'answers':>9}{'invalid':>9}{'items':>9}{'invalid':>9}")
    for kind in answers:
        print(
            f"{kind:<28}{answers[kind]:>9}{bad_answers[kind]:>9}{items[kind]:>9}{bad_items[kind]:>9}"
        )
    print(
        f"{'all':<28}{sum(answers.values()):>9}{sum(bad_answers.values()):>9}"
        f"{sum(items.values()):>9}{sum(bad_items.values()):>9}"
    )
    for line in shown[:20]:
        print("  " + line)
    return 1 if bad_answers or bad_items else 0


if __name__ == "__main__":
    sys.exit(main())
