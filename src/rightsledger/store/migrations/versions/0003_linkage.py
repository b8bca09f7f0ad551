"""linkage models, scored pairs and review decisions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_models",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_link_models_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_link_models")),
    )
    op.create_table(
        "link_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("left", sa.String(length=120), nullable=False),
        sa.Column("right", sa.String(length=120), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_link_pairs_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_pairs")),
    )
    with op.batch_alter_table("link_pairs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_pairs_run_id"), ["run_id"])
    op.create_table(
        "link_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("left", sa.String(length=120), nullable=False),
        sa.Column("right", sa.String(length=120), nullable=False),
        sa.Column("accept", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_decisions")),
    )
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_decisions_left"), ["left"])


def downgrade() -> None:
    op.drop_table("link_decisions")
    op.drop_table("link_pairs")
    op.drop_table("link_models")
