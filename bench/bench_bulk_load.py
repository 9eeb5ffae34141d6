"""Load the bench CSVs straight into the database, for catalogues too big for the CSV import.

`dienstenwijzer import` checks every row and then updates the index through the outbox, which
takes most of an hour for 100 000 services on a shared 2-core machine. This writes the same
rows with plain INSERTs into the tables as the database describes them (reflected, so the
package is not imported) and leaves the index to `dienstenwijzer reindex`. Only rows that the
import would accept are written: the generator makes them so, and the smoke test checks it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from bench_catalogue import read_catalogue
from bench_reference import Reference
from sqlalchemy import MetaData, create_engine, insert, select

BATCH = 5_000


def bulk_load(database_url: str, catalogue_dir, ref: Reference) -> int:
    engine = create_engine(database_url)
    meta = MetaData()
    meta.reflect(
        engine, only=["region", "provider", "service", "service_category", "service_municipality"]
    )
    t = meta.tables
    nis_of = {m.name: m.nis_code for r in ref.regions for m in r.municipalities}
    parent_ok = set(ref.categories)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    providers, services, categories, municipalities = [], [], [], []
    with engine.begin() as conn:
        region_id = dict(conn.execute(select(t["region"].c.slug, t["region"].c.id)).all())
        next_provider = (
            conn.scalar(select(t["provider"].c.id).order_by(t["provider"].c.id.desc())) or 0
        ) + 1
        next_service = (
            conn.scalar(select(t["service"].c.id).order_by(t["service"].c.id.desc())) or 0
        ) + 1
        for slug, rows in read_catalogue(catalogue_dir).items():
            provider_ids: dict[str, int] = {}
            for row in rows:
                home = nis_of[row["gemeente"]]
                if row["aanbieder"] not in provider_ids:
                    provider_ids[row["aanbieder"]] = next_provider
                    providers.append(
                        {
                            "id": next_provider,
                            "uuid": str(uuid.uuid4()),
                            "region_id": region_id[slug],
                            "name": row["aanbieder"],
                            "street": row["straat"],
                            "postcode": row["postcode"],
                            "municipality_nis": home,
                            "phone": row["telefoon"],
                            "email": row["email"],
                            "website": row["website"] or None,
                            "status": "active",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    next_provider += 1
                lat, lon = ref.postcode_coords[row["postcode"]]
                services.append(
                    {
                        "id": next_service,
                        "uuid": str(uuid.uuid4()),
                        "location_uuid": str(uuid.uuid4()),
                        "region_id": region_id[slug],
                        "provider_id": provider_ids[row["aanbieder"]],
                        "external_id": row["extern_id"],
                        "name": row["naam"],
                        "description": row["omschrijving"],
                        "street": row["straat"],
                        "postcode": row["postcode"],
                        "municipality_nis": home,
                        "lat": lat,
                        "lon": lon,
                        "phone": row["telefoon"],
                        "email": row["email"],
                        "website": row["website"] or None,
                        "dienstencheques": row["dienstencheques"] == "ja",
                        "price": row["prijs"] or None,
                        "target_group": row["doelgroep"] or None,
                        "opening_hours": row["openingsuren"] or None,
                        "status": "active",
                        "last_checked": now.date(),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for cid in dict.fromkeys(c for c in row["categorie"].split(";") if c in parent_ok):
                    categories.append({"service_id": next_service, "category_id": cid})
                for name in dict.fromkeys(row["gemeenten"].split(";")):
                    municipalities.append({"service_id": next_service, "nis_code": nis_of[name]})
                next_service += 1
        for table, batch in (
            ("provider", providers),
            ("service", services),
            ("service_category", categories),
            ("service_municipality", municipalities),
        ):
            for start in range(0, len(batch), BATCH):
                conn.execute(insert(t[table]), batch[start : start + BATCH])
    engine.dispose()
    return len(services)
