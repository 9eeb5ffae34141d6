"""Words regisseurs teach the search per zorggebied: region_synonym and its version counter.

Revision ID: 0008_region_synonyms
Revises: 0007_uuids
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_region_synonyms"
down_revision = "0007_uuids"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "region_synonym",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("term", sa.String(length=120), nullable=False),
        sa.Column("category_id", sa.String(length=60), nullable=True),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(category_id IS NULL) <> (service_id IS NULL)",
            name=op.f("ck_region_synonym_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_region_synonym_region_id_region")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_region_synonym_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_region_synonym_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_region_synonym")),
    )
    with op.batch_alter_table("region_synonym", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_region_synonym_region_id"), ["region_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_region_synonym_service_id"), ["service_id"], unique=False
        )
    op.create_table(
        "synonym_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonym_version")),
    )


def downgrade():
    op.drop_table("synonym_version")
    with op.batch_alter_table("region_synonym", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_region_synonym_service_id"))
        batch_op.drop_index(batch_op.f("ix_region_synonym_region_id"))
    op.drop_table("region_synonym")
