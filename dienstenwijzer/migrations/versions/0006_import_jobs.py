"""Web imports as background jobs: import_job, its errors per line and its uploaded file.

Revision ID: 0006_import_jobs
Revises: 0005_demand_privacy
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_import_jobs"
down_revision = "0005_demand_privacy"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("providers_created", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("preview", sa.JSON(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("worker", sa.String(length=100), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_import_job_region_id_region")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            ondelete="SET NULL",
            name=op.f("fk_import_job_uploaded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user_account.id"],
            ondelete="SET NULL",
            name=op.f("fk_import_job_confirmed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_job_region_id"), ["region_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_job_status"), ["status"], unique=False)

    op.create_table(
        "import_job_error",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=60), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["import_job.id"],
            ondelete="CASCADE",
            name=op.f("fk_import_job_error_job_id_import_job"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job_error")),
    )
    with op.batch_alter_table("import_job_error", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_job_error_job_id"), ["job_id"], unique=False)

    op.create_table(
        "import_job_chunk",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["import_job.id"],
            ondelete="CASCADE",
            name=op.f("fk_import_job_chunk_job_id_import_job"),
        ),
        sa.PrimaryKeyConstraint("job_id", "seq", name=op.f("pk_import_job_chunk")),
    )


def downgrade():
    op.drop_table("import_job_chunk")
    with op.batch_alter_table("import_job_error", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_job_error_job_id"))
    op.drop_table("import_job_error")
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_job_status"))
        batch_op.drop_index(batch_op.f("ix_import_job_region_id"))
    op.drop_table("import_job")
