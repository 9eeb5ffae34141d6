"""Back office: signal kind (filters), niche history (merge/split undo), werkwinkel contact.

Revision ID: 0009_backoffice
Revises: 0008_region_synonyms
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_backoffice"
down_revision = "0008_region_synonyms"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("demand_signal") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="niet-gevonden")
        )
    with op.batch_alter_table("region") as batch:
        batch.add_column(sa.Column("werkwinkel_contact", sa.Text(), nullable=True))
    op.create_table(
        "niche_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("niche_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("other_niche_id", sa.Integer(), nullable=True),
        sa.Column("other_title", sa.String(length=200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["niche_id"], ["niche.id"], name=op.f("fk_niche_event_niche_id_niche")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_niche_event_region_id_region")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_niche_event")),
    )
    with op.batch_alter_table("niche_event") as batch:
        batch.create_index(batch.f("ix_niche_event_niche_id"), ["niche_id"], unique=False)
        batch.create_index(batch.f("ix_niche_event_region_id"), ["region_id"], unique=False)


def downgrade():
    with op.batch_alter_table("niche_event") as batch:
        batch.drop_index(batch.f("ix_niche_event_region_id"))
        batch.drop_index(batch.f("ix_niche_event_niche_id"))
    op.drop_table("niche_event")
    with op.batch_alter_table("region") as batch:
        batch.drop_column("werkwinkel_contact")
    with op.batch_alter_table("demand_signal") as batch:
        batch.drop_column("kind")
