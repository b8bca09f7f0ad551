"""vault, witnesses, testimonies, users, record provenance

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("import_hash", sa.String(length=64), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_records_import_hash"), ["import_hash"], unique=False
        )
    op.create_table(
        "witnesses",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("identity", sa.LargeBinary(), nullable=False),
        sa.Column("consent", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("import_hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_witnesses")),
    )
    with op.batch_alter_table("witnesses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_witnesses_pseudonym"), ["pseudonym"])
        batch_op.create_index(batch_op.f("ix_witnesses_import_hash"), ["import_hash"])
    op.create_table(
        "testimonies",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("source_id", sa.String(length=120), nullable=False),
        sa.Column("witness_id", sa.String(length=120), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("import_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_testimonies_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["witness_id"],
            ["witnesses.id"],
            name=op.f("fk_testimonies_witness_id_witnesses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_testimonies")),
    )
    with op.batch_alter_table("testimonies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_testimonies_source_id"), ["source_id"])
        batch_op.create_index(batch_op.f("ix_testimonies_import_hash"), ["import_hash"])
    op.create_table(
        "vault_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_vault_files")),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.LargeBinary(), nullable=False),
        sa.Column("collected_by", sa.String(length=200), nullable=False),
        sa.Column("collected_on", sa.Date(), nullable=True),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["vault_files.sha256"],
            name=op.f("fk_attachments_sha256_vault_files"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_attachments_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint(
            "source_id", "sha256", name=op.f("uq_attachments_source_id")
        ),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_source_id"), ["source_id"])
        batch_op.create_index(batch_op.f("ix_attachments_sha256"), ["sha256"])
    op.create_table(
        "users",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_users_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("users")
    op.drop_table("attachments")
    op.drop_table("vault_files")
    op.drop_table("testimonies")
    op.drop_table("witnesses")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_import_hash"))
        batch_op.drop_column("import_hash")
