"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("mentions_human_rights", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("clauses", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
    )
    op.create_table(
        "benchmarks",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_ko", sa.Text(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("demanded_by", sa.JSON(), nullable=False),
        sa.Column("baseline", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmarks")),
    )
    op.create_table(
        "catalogue_snapshots",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_snapshots")),
    )
    op.create_table(
        "custody_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_custody_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_custody_log_hash")),
    )
    op.create_table(
        "facilities",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("operator", sa.Text(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
    )
    op.create_table(
        "imports",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_imports")),
    )
    op.create_table(
        "ledger_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ledger_meta")),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("software_version", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_runs_step"), ["step"], unique=False)

    op.create_table(
        "sanctions_conditions",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("statute", sa.Text(), nullable=False),
        sa.Column("effect", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("benchmarks", sa.JSON(), nullable=False),
        sa.Column("binding", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanctions_conditions")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("confidentiality", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("benchmark_id", sa.String(length=120), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("standard", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["benchmark_id"],
            ["benchmarks.id"],
            name=op.f("fk_assessments_benchmark_id_benchmarks"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_assessments_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessments_as_of"), ["as_of"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessments_benchmark_id"), ["benchmark_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessments_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "estimates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("population", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=60), nullable=False),
        sa.Column("estimate", sa.Float(), nullable=False),
        sa.Column("lower", sa.Float(), nullable=False),
        sa.Column("upper", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("lists", sa.JSON(), nullable=False),
        sa.Column("diagnostics", sa.JSON(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_estimates_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimates")),
    )
    with op.batch_alter_table("estimates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_estimates_population"), ["population"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_estimates_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "indicators",
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("benchmark_id", sa.String(length=120), nullable=False),
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["benchmark_id"],
            ["benchmarks.id"],
            name=op.f("fk_indicators_benchmark_id_benchmarks"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_indicators")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicators_benchmark_id"), ["benchmark_id"], unique=False
        )

    op.create_table(
        "records",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("source_id", sa.String(length=120), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("identity", sa.LargeBinary(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("province", sa.String(length=120), nullable=True),
        sa.Column("facility_id", sa.String(length=120), nullable=True),
        sa.Column("year_arrested", sa.Integer(), nullable=True),
        sa.Column("seen_from", sa.Date(), nullable=True),
        sa.Column("seen_to", sa.Date(), nullable=True),
        sa.Column("fate", sa.String(length=40), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_records_facility_id_facilities"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_records_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records")),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_records_pseudonym"), ["pseudonym"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_records_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "observations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=120), nullable=False),
        sa.Column("indicator_key", sa.String(length=250), nullable=False),
        sa.Column("facility_id", sa.String(length=120), nullable=True),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("stance", sa.String(length=20), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_observations_facility_id_facilities"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_key"],
            ["indicators.key"],
            name=op.f("fk_observations_indicator_key_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_observations_source_id_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_observations_indicator_key"), ["indicator_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_observations_observed_on"), ["observed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_observations_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "person_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.String(length=120), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_person_links_record_id_records"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_person_links_run_id_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_links")),
        sa.UniqueConstraint("run_id", "record_id", name=op.f("uq_person_links_run_id")),
    )
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_links_run_id"), ["run_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_links_run_id"))

    op.drop_table("person_links")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observations_source_id"))
        batch_op.drop_index(batch_op.f("ix_observations_observed_on"))
        batch_op.drop_index(batch_op.f("ix_observations_indicator_key"))

    op.drop_table("observations")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_source_id"))
        batch_op.drop_index(batch_op.f("ix_records_pseudonym"))

    op.drop_table("records")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_benchmark_id"))

    op.drop_table("indicators")
    with op.batch_alter_table("estimates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_estimates_run_id"))
        batch_op.drop_index(batch_op.f("ix_estimates_population"))

    op.drop_table("estimates")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_run_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_benchmark_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_as_of"))

    op.drop_table("assessments")
    op.drop_table("sources")
    op.drop_table("sanctions_conditions")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runs_step"))

    op.drop_table("runs")
    op.drop_table("ledger_meta")
    op.drop_table("imports")
    op.drop_table("facilities")
    op.drop_table("custody_log")
    op.drop_table("catalogue_snapshots")
    op.drop_table("benchmarks")
    op.drop_table("agreements")
