"""Stable public ids (UUIDs) for services, providers, locations and taxonomy terms (HSDS 3.1).

Existing services (and the service at its address: location_uuid) and providers get a random
UUID; categories get the name-based UUID of their
id (models/ids.py), the same on every install.

Revision ID: 0007_uuids
Revises: 0006_import_jobs
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007_uuids"
down_revision = "0006_import_jobs"
branch_labels = None
depends_on = None

# Copied from models/ids.py: a migration must not change when the code does.
NAMESPACE = uuid.UUID("5d1e6a3c-8f0b-4c7e-9a57-2b1d0e4f6a91")


def _random(_key) -> str:
    return str(uuid.uuid4())


def _of_category(category_id) -> str:
    return str(uuid.uuid5(NAMESPACE, f"category/{category_id}"))


# table -> {column: how to fill it for an existing row, given its primary key "id"}
COLUMNS = {
    "service": {"uuid": _random, "location_uuid": _random},
    "provider": {"uuid": _random},
    "category": {"uuid": _of_category},
}


def _fill(table: str, columns: dict) -> None:
    conn = op.get_bind()
    rows = sa.table(table, sa.column("id"), *(sa.column(c) for c in columns))
    ids = conn.execute(sa.select(rows.c.id)).scalars().all()
    if ids:
        values = {c: sa.bindparam(f"v_{c}") for c in columns}
        conn.execute(
            rows.update().where(rows.c.id == sa.bindparam("k")).values(**values),
            [{"k": i, **{f"v_{c}": make(i) for c, make in columns.items()}} for i in ids],
        )


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.String(length=36), nullable=True))
        _fill(table, columns)
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=36), nullable=False)
                batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_{column}"), [column])


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(batch_op.f(f"uq_{table}_{column}"), type_="unique")
                batch_op.drop_column(column)
