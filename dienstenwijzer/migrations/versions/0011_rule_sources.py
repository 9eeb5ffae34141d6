"""Rule sets name their regulation (title, date, link or reference) and may end on a date.

Revision ID: 0011_rule_sources
Revises: 0010_updated_at_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_rule_sources"
down_revision = "0010_updated_at_index"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("rule_set") as batch:
        batch.add_column(sa.Column("source_title", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("source_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("source_reference", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("valid_until", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("rule_set") as batch:
        batch.drop_column("valid_until")
        batch.drop_column("source_reference")
        batch.drop_column("source_date")
        batch.drop_column("source_title")
