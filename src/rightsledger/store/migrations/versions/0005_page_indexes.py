"""indexes for paged lists: observations by day, source, indicator and facility;
persons of a linkage run

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_OBSERVATION_INDEXES = {
    "ix_observations_day": ["observed_on", "id"],
    "ix_observations_source_day": ["source_id", "observed_on", "id"],
    "ix_observations_indicator_day": ["indicator_key", "observed_on", "id"],
    "ix_observations_facility_day": ["facility_id", "observed_on", "id"],
}
_REPLACED = {
    "ix_observations_indicator_key": ["indicator_key"],
    "ix_observations_observed_on": ["observed_on"],
    "ix_observations_source_id": ["source_id"],
}


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        for name in _REPLACED:
            batch_op.drop_index(name)
        for name, columns in _OBSERVATION_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_links_run_person", ["run_id", "person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.drop_index("ix_person_links_run_person")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        for name in _OBSERVATION_INDEXES:
            batch_op.drop_index(name)
        for name, columns in _REPLACED.items():
            batch_op.create_index(name, columns, unique=False)
