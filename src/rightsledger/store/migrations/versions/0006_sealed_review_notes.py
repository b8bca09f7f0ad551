"""link review notes sealed: a ciphertext column, and, when decisions exist
already, the first decision whose note must be sealed (earlier notes stay as they
were written, in clear; with no decisions every note is sealed, and no row is
written, so a restore into the new schema can copy the archive's own)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: ledger_meta key: decisions from this id on carry their note sealed.
SEALED_FROM = "review_notes_sealed_from"


def upgrade() -> None:
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note_sealed", sa.Text(), nullable=True))
    op.execute(
        sa.text(
            "INSERT INTO ledger_meta (key, value) "
            "SELECT :key, CAST(MAX(id) + 1 AS VARCHAR(20)) "
            "FROM link_decisions HAVING COUNT(*) > 0"
        ).bindparams(key=SEALED_FROM)
    )


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM ledger_meta WHERE key = :key").bindparams(key=SEALED_FROM)
    )
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.drop_column("note_sealed")
