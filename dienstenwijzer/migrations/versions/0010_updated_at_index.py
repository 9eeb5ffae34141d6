"""An index on service.updated_at: the API's `modified_after` (a harvester's sync) reads only
the services changed since its last run instead of the whole table.

Revision ID: 0010_updated_at_index
Revises: 0009_backoffice
"""

from alembic import op

revision = "0010_updated_at_index"
down_revision = "0009_backoffice"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("service") as batch:
        batch.create_index(batch.f("ix_service_updated_at"), ["updated_at"], unique=False)


def downgrade():
    with op.batch_alter_table("service") as batch:
        batch.drop_index(batch.f("ix_service_updated_at"))
