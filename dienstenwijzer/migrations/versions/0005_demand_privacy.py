"""Demand privacy: signals know their client only by a daily keyed hash; niches are confirmed.

A search signal carries `client_key` (HMAC of address and day) so one client counts only a few
times an hour, and a niche reaches the board only once two different clients had the need or
staff confirmed it. Niches that already exist were seen by staff: they stay confirmed.

Revision ID: 0005_demand_privacy
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_demand_privacy"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("demand_signal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_demand_signal_client_key"), ["client_key"], unique=False
        )
    with op.batch_alter_table("niche", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "title_from_residents", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.execute(sa.text("UPDATE niche SET confirmed = :yes").bindparams(yes=True))


def downgrade():
    with op.batch_alter_table("niche", schema=None) as batch_op:
        batch_op.drop_column("title_from_residents")
        batch_op.drop_column("confirmed")
    with op.batch_alter_table("demand_signal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_signal_client_key"))
        batch_op.drop_column("client_key")
