"""SQLAlchemy tables of the ledger. One metadata; the Alembic migrations create it.

Identifying fields of person records live only in ``records.identity`` as
authenticated ciphertext; everything else in this schema identifies no one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Meta(Base):
    """Key-value facts about the ledger (schema owner, key fingerprint, creation)."""

    __tablename__ = "ledger_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CatalogueSnapshot(Base):
    """The catalogue files as loaded, content-addressed, so every run can name it."""

    __tablename__ = "catalogue_snapshots"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    files: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str] = mapped_column(String(200))


class BenchmarkRow(Base):
    __tablename__ = "benchmarks"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    title_ko: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text)
    demanded_by: Mapped[list[Any]] = mapped_column(JSON)
    baseline: Mapped[dict[str, Any]] = mapped_column(JSON)


class IndicatorRow(Base):
    __tablename__ = "indicators"
    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    benchmark_id: Mapped[str] = mapped_column(ForeignKey("benchmarks.id"), index=True)
    id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(Text)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)


class FacilityRow(Base):
    __tablename__ = "facilities"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    operator: Mapped[str] = mapped_column(Text)
    history: Mapped[list[Any]] = mapped_column(JSON)


class AgreementRow(Base):
    __tablename__ = "agreements"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date] = mapped_column(Date)
    parties: Mapped[list[Any]] = mapped_column(JSON)
    mentions_human_rights: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(20))
    clauses: Mapped[list[Any]] = mapped_column(JSON)


class ConditionRow(Base):
    __tablename__ = "sanctions_conditions"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    statute: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    benchmarks: Mapped[list[Any]] = mapped_column(JSON)
    binding: Mapped[bool] = mapped_column(Boolean)


class SourceRow(Base):
    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    reliability: Mapped[str] = mapped_column(String(1))
    published_on: Mapped[date | None] = mapped_column(Date)
    confidentiality: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(20))
    citation: Mapped[str] = mapped_column(Text, default="")


class ObservationRow(Base):
    """One dated statement of a source. Listed newest first by source, indicator,
    facility or date: each has an index ending in (observed_on, id), the order of
    the pages and of the API's cursors."""

    __tablename__ = "observations"
    __table_args__ = (
        Index("ix_observations_day", "observed_on", "id"),
        Index("ix_observations_source_day", "source_id", "observed_on", "id"),
        Index("ix_observations_indicator_day", "indicator_key", "observed_on", "id"),
        Index("ix_observations_facility_day", "facility_id", "observed_on", "id"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    indicator_key: Mapped[str] = mapped_column(ForeignKey("indicators.key"))
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facilities.id"))
    observed_on: Mapped[date] = mapped_column(Date)
    stance: Mapped[str] = mapped_column(String(20))
    credibility: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))


class RecordRow(Base):
    """A person-level row of a list source. ``identity`` is AES-GCM ciphertext."""

    __tablename__ = "records"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    identity: Mapped[bytes] = mapped_column(LargeBinary)
    sex: Mapped[str | None] = mapped_column(String(1))
    province: Mapped[str | None] = mapped_column(String(120))
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facilities.id"))
    year_arrested: Mapped[int | None] = mapped_column(Integer)
    seen_from: Mapped[date | None] = mapped_column(Date)
    seen_to: Mapped[date | None] = mapped_column(Date)
    fate: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(20))
    import_hash: Mapped[str | None] = mapped_column(String(64), index=True)


class WitnessRow(Base):
    """A person who gave testimony. ``identity`` (name, contact, birth year, where
    they live, family still inside, notes) is AES-GCM ciphertext."""

    __tablename__ = "witnesses"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), index=True)
    identity: Mapped[bytes] = mapped_column(LargeBinary)
    consent: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(20))
    import_hash: Mapped[str | None] = mapped_column(String(64), index=True)


class TestimonyRow(Base):
    """What a witness said, for a source of kind testimony. ``text`` is ciphertext."""

    __tablename__ = "testimonies"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    witness_id: Mapped[str | None] = mapped_column(ForeignKey("witnesses.id"))
    recorded_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(20))
    text: Mapped[bytes] = mapped_column(LargeBinary)
    origin: Mapped[str] = mapped_column(String(20))
    import_hash: Mapped[str | None] = mapped_column(String(64), index=True)


class VaultFileRow(Base):
    """One file in the evidence vault, named by the SHA-256 of its content.

    The file is encrypted under its own data key; ``wrapped_key`` is that key
    encrypted under the ledger key (so rotating the ledger key rewraps 32 bytes per
    file instead of rewriting the files)."""

    __tablename__ = "vault_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(200))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AttachmentRow(Base):
    """A vault file attached to a source, with the Berkeley Protocol's intake
    metadata. ``original_name`` is ciphertext: file names often name people."""

    __tablename__ = "attachments"
    __table_args__ = (UniqueConstraint("source_id", "sha256"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("vault_files.sha256"), index=True)
    original_name: Mapped[bytes] = mapped_column(LargeBinary)
    collected_by: Mapped[str] = mapped_column(String(200))
    collected_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    added_by: Mapped[str] = mapped_column(String(200))


class UserRow(Base):
    """A person who uses the ledger, with one role. Passwords and API tokens are
    stored only as argon2 / SHA-256 hashes."""

    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(Text)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(10))


class WebSessionRow(Base):
    """A signed-in browser. Only the SHA-256 of the session cookie is kept, so a
    copy of the database lets no one take over a session."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(ForeignKey("users.name"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobRow(Base):
    """A long operation (import, link, estimate) and how far it has got. Messages
    never hold an identity."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200), index=True)
    state: Mapped[str] = mapped_column(String(20))
    done: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int | None] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class ImportRow(Base):
    """One imported file, by content hash: the same file twice changes nothing."""

    __tablename__ = "imports"
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(Text)
    rows: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(200))


class RunRow(Base):
    """One run of an analysis step, with what is needed to reproduce it."""

    __tablename__ = "runs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    step: Mapped[str] = mapped_column(String(20), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int | None] = mapped_column(Integer)
    software_version: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))


class PersonLinkRow(Base):
    """Which person a record belongs to in one linkage run."""

    __tablename__ = "person_links"
    __table_args__ = (
        UniqueConstraint("run_id", "record_id"),
        Index("ix_person_links_run_person", "run_id", "person_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"))
    person_id: Mapped[str] = mapped_column(String(64))


class LinkModelRow(Base):
    """The trained linkage model of a run (m and u probabilities, JSON), so that
    later runs can score new records with it and every link can be explained."""

    __tablename__ = "link_models"
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    model: Mapped[str] = mapped_column(Text)


class LinkPairRow(Base):
    """A scored pair of records in one linkage run, with each comparison's match
    weight. Record ids only: no name reaches this table."""

    __tablename__ = "link_pairs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    left: Mapped[str] = mapped_column(String(120))
    right: Mapped[str] = mapped_column(String(120))
    match_weight: Mapped[float] = mapped_column(Float)
    probability: Mapped[float] = mapped_column(Float)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON)


class LinkDecisionRow(Base):
    """An investigator's decision on a pair. Append-only: a later decision on the
    same pair supersedes an earlier one, which stays on record. The note is
    ``note_sealed`` (hex ciphertext bound to the row); ``note`` holds only notes
    written before notes were sealed (ledger_meta ``review_notes_sealed_from``)."""

    __tablename__ = "link_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    left: Mapped[str] = mapped_column(String(120), index=True)
    right: Mapped[str] = mapped_column(String(120))
    accept: Mapped[bool] = mapped_column(Boolean)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    note_sealed: Mapped[str | None] = mapped_column(Text)


class EstimateRow(Base):
    __tablename__ = "estimates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    population: Mapped[str] = mapped_column(String(200), index=True)
    method: Mapped[str] = mapped_column(String(60))
    estimate: Mapped[float] = mapped_column(Float)
    lower: Mapped[float] = mapped_column(Float)
    upper: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    observed: Mapped[int] = mapped_column(Integer)
    lists: Mapped[list[Any]] = mapped_column(JSON)
    diagnostics: Mapped[dict[str, Any]] = mapped_column(JSON)
    as_of: Mapped[date | None] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(20))


class AssessmentRow(Base):
    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    benchmark_id: Mapped[str] = mapped_column(ForeignKey("benchmarks.id"), index=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20))
    standard: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    simulated: Mapped[bool] = mapped_column(Boolean)
    indicators: Mapped[list[Any]] = mapped_column(JSON)


class CustodyRow(Base):
    """Append-only, hash-chained log of every write and every identity read."""

    __tablename__ = "custody_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
