"""One head again: the demand and jobs branches both started from 0002.

With two heads `dienstenwijzer db upgrade` stopped with "Multiple head revisions"; every
later migration descends from this one, so a plain upgrade works.

Revision ID: 0004
Revises: 0003_demand, 0003_jobs
"""

revision = "0004"
down_revision = ("0003_demand", "0003_jobs")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
