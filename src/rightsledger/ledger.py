"""The façade that the CLI, the web app and the tests all drive.

Each public method is one use case and one transaction: it lands whole or not at all,
and it appends to the custody log in the same transaction as the write it records.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import mimetypes
import secrets
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

import numpy as np
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from . import __version__
from .access import Actor, Permission
from .backup import BackupManifest, read_public, restore_backup, write_backup
from .catalogue import default_catalogue_path, parse_catalogue
from .config import Settings
from .domain import (
    Agreement,
    Attachment,
    BenchmarkAssessment,
    Catalogue,
    Clustering,
    EstimateResult,
    Observation,
    Origin,
    PersonRecord,
    Role,
    Source,
)
from .errors import (
    ConfigError,
    Forbidden,
    InputError,
    InputErrors,
    IntegrityError,
    NotFound,
)
from .export import ExportSummary, write_public_export
from .intake.catalogue_evidence import baseline_observations, citation_sources
from .intake.importer import ImportSummary, Progress, import_rows
from .intake.kinds import Context, intake_kind
from .intake.readers import Row, RowFile, format_of
from .intake.references import reference_problems
from .linkage.cluster import Decision
from .linkage.result import LinkModel, LinkResult, ScoredPair, ScoredPairs
from .logins import Logins
from .paths import finish_rotation, key_path_for, read_catalogue_files, vault_path_for
from .store import (
    Sessions,
    catalogue_rows,
    ciphertexts,
    custody_log,
    evidence_rows,
    link_rows,
    make_engine,
    parse_url,
    safe_url,
    sqlite_path,
    user_rows,
    vault_rows,
)
from .store import analysis_rows as runs
from .store import migrations_runner as migrations
from .store.custody_log import changes_data
from .store.tables import Meta, RecordRow
from .vault import CustodyEntry, FieldCipher, LedgerKey, chain_problems
from .vault.files import VaultFiles, sha256_of
from .vault.passwords import (
    MIN_PASSWORD_LENGTH,
    check_password,
    hash_password,
    new_token,
    token_hash,
)

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def guess_media_type(path: Path) -> str:
    kind, _ = mimetypes.guess_type(path.name)
    return kind or "application/octet-stream"


class PasswordRequired(ConfigError):
    """The acting user has a password and none (or a wrong one) was given."""


class PassphraseRequired(ConfigError):
    """The ledger's key comes from a passphrase and none was given."""


class Ledger:
    """One open ledger: a database, its key, the acting user, and the steps of
    the chain. Every use case checks the actor's role here (see
    :mod:`rightsledger.access`) and logs every refusal."""

    def __init__(
        self,
        engine: Engine,
        key: LedgerKey,
        settings: Settings,
        clock: Clock = _utcnow,
        *,
        actor: Actor,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.sessions = Sessions(engine)
        self.actor = actor
        self._key = key
        self._cipher = FieldCipher(key)
        self._clock = clock
        self._catalogue: Catalogue | None = None

    # -- lifecycle ---------------------------------------------------------------
    @classmethod
    def init(
        cls,
        settings: Settings,
        clock: Clock = _utcnow,
        *,
        passphrase: str | None = None,
    ) -> Ledger:
        """Create a new ledger: schema, key, the first admin, the first custody entry.

        The key is written to a new key file, or, when ``passphrase`` is given,
        derived from it with scrypt (nothing written; the salt is kept in the
        database). The acting user (``settings.actor``) becomes the first admin.

        Raises:
            ConfigError: the database already holds tables, the key file exists, or
                the database cannot be reached.
        """
        url = parse_url(settings.database_url)
        engine = make_engine(url)
        try:
            key, key_meta = cls._new_schema(engine, settings, passphrase, safe_url(url))
        except BaseException:
            engine.dispose()
            raise
        actor = Actor(settings.actor, Role.ADMIN)
        ledger = cls(engine, key, settings, clock, actor=actor)
        with ledger.sessions.transaction() as s:
            s.add(Meta(key="key_fingerprint", value=key.fingerprint))
            s.add(Meta(key="created_at", value=clock().isoformat()))
            for name, value in key_meta.items():
                s.add(Meta(key=name, value=value))
            user_rows.add(
                s,
                name=actor.name,
                role=Role.ADMIN,
                password_hash=None,
                at=clock(),
                by=actor.name,
            )
            ledger._log(
                s,
                "init",
                safe_url(url),
                {"software_version": __version__, "key": key_meta["key_source"]},
            )
        return ledger

    @classmethod
    def open(cls, settings: Settings, clock: Clock = _utcnow) -> Ledger:
        """Open an existing ledger for ``settings.actor``, checking its schema, its
        key, and the actor's password when they have one.

        Raises:
            ConfigError: no ledger there, an old schema, the wrong key, or an
                unknown or disabled user.
            PasswordRequired / PassphraseRequired: a secret is missing or wrong.
        """
        url = parse_url(settings.database_url)
        path = sqlite_path(url)
        if path is not None and not path.exists():
            raise ConfigError(
                f"no ledger at {path}: create one with `rightsledger init`"
            )
        engine = make_engine(url)
        try:
            key = cls._checked_key(engine, settings, safe_url(url))
            ledger = cls(engine, key, settings, clock, actor=Actor("?", Role.VIEWER))
            ledger.actor = ledger._authenticate()
        except BaseException:
            engine.dispose()
            raise
        return ledger

    @classmethod
    def open_service(cls, settings: Settings, clock: Clock = _utcnow) -> Ledger:
        """Open a ledger for a server (the web app): the schema and the key are
        checked, but no user signs in. The returned ledger acts as a viewer named
        ``(service)``; each request works on :meth:`acting_as` the user who signed
        in through :attr:`logins`.

        Raises:
            ConfigError / PassphraseRequired: as :meth:`open`.
        """
        url = parse_url(settings.database_url)
        path = sqlite_path(url)
        if path is not None and not path.exists():
            raise ConfigError(
                f"no ledger at {path}: create one with `rightsledger init`"
            )
        engine = make_engine(url)
        try:
            key = cls._checked_key(engine, settings, safe_url(url))
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, key, settings, clock, actor=Actor("(service)", Role.VIEWER))

    def acting_as(self, actor: Actor) -> Ledger:
        """The same open ledger (engine, key, catalogue) acting for another user,
        who has already proven who they are (see :class:`~rightsledger.logins.Logins`).
        Closing the returned ledger is not needed; close the original."""
        other = copy.copy(self)
        other.actor = actor
        return other

    @property
    def logins(self) -> Logins:
        """Sign-in, browser sessions and API tokens (the web app's door)."""
        return Logins(self)

    @staticmethod
    def _new_schema(
        engine: Engine, settings: Settings, passphrase: str | None, where: str
    ) -> tuple[LedgerKey, dict[str, str]]:
        if inspect(engine).get_table_names():
            raise ConfigError(
                f"{where} already holds tables; init needs an empty database"
            )
        if passphrase is not None:
            salt = secrets.token_bytes(16)
            key = LedgerKey.from_passphrase(passphrase, salt)
            migrations.upgrade(engine)
            return key, {"key_source": "passphrase", "key_salt": salt.hex()}
        key_path = key_path_for(settings)
        if key_path.exists():
            raise ConfigError(
                f"key file {key_path} already exists; refusing to overwrite"
            )
        migrations.upgrade(engine)
        key = LedgerKey.generate()
        key.save(key_path)
        return key, {"key_source": "file"}

    @staticmethod
    def _checked_key(engine: Engine, settings: Settings, where: str) -> LedgerKey:
        current, head = migrations.current_revision(engine), migrations.head_revision()
        if current is None:
            raise ConfigError(f"{where} is not a rightsledger ledger (run init)")
        if current != head:
            raise ConfigError(
                f"{where} has schema {current}; this version needs {head}"
            )
        with Sessions(engine).read() as s:
            meta = {m.key: m.value for m in s.query(Meta)}
        stored = meta.get("key_fingerprint")
        if meta.get("key_source") == "passphrase":
            if settings.passphrase is None:
                raise PassphraseRequired(
                    "this ledger's key is derived from a passphrase: set "
                    "RIGHTSLEDGER_PASSPHRASE or enter it when asked"
                )
            key = LedgerKey.from_passphrase(
                settings.passphrase.get_secret_value(), bytes.fromhex(meta["key_salt"])
            )
            if key.fingerprint != stored:
                raise PassphraseRequired("wrong passphrase for this ledger")
            return key
        key_path = key_path_for(settings)
        finish_rotation(key_path, stored)
        key = LedgerKey.load(key_path)
        if stored is None or stored != key.fingerprint:
            raise ConfigError("the key file does not belong to this ledger")
        return key

    def _authenticate(self) -> Actor:
        name = self.settings.actor
        with self.sessions.read() as s:
            row = user_rows.get(s, name)
            stored = None if row is None else (row.role, row.active, row.password_hash)
        if stored is None:
            raise ConfigError(
                f"unknown user {name!r}: an admin adds users with "
                "`rightsledger users add NAME --role ROLE`"
            )
        role, active, password_hash = stored
        actor = Actor(name, Role(role))
        if not active:
            self._deny(actor, "open the ledger", "user disabled")
            raise ConfigError(f"user {name!r} is disabled")
        if password_hash is not None:
            given = self.settings.password
            if given is None:
                raise PasswordRequired(
                    f"user {name!r} has a password: set RIGHTSLEDGER_PASSWORD or "
                    "enter it when asked"
                )
            if not check_password(password_hash, given.get_secret_value()):
                self._deny(actor, "open the ledger", "wrong password")
                raise PasswordRequired(f"wrong password for user {name!r}")
        return actor

    # -- access and custody ------------------------------------------------------
    def _log(
        self,
        session: Session,
        action: str,
        target: str,
        detail: Mapping[str, object] | None = None,
        *,
        actor: Actor | None = None,
    ) -> None:
        """Append a custody entry in ``session``'s transaction and reseal the
        log's end (see :meth:`FieldCipher.anchor`)."""
        entry = custody_log.append(
            session,
            actor=(actor or self.actor).name,
            action=action,
            target=target,
            at=self._clock(),
            detail=dict(detail or {}),
        )
        seal = f"{entry.seq}:{self._cipher.anchor(entry.seq, entry.hash)}"
        session.merge(Meta(key="custody_anchor", value=seal))
        if changes_data(action):
            session.merge(Meta(key="data_version", value=str(entry.seq)))

    def _deny(self, actor: Actor, what: str, reason: str) -> None:
        with self.sessions.transaction() as s:
            detail = {"role": actor.role.value, "why": reason}
            self._log(s, "denied", what, detail, actor=actor)

    def require(self, permission: Permission, target: str = "") -> None:
        """Check a permission for a use case built on top of the façade."""
        self._require(permission, target)

    def _require(self, permission: Permission, target: str = "") -> None:
        """Raise Forbidden (and log the attempt) unless the actor may."""
        if self.actor.may(permission):
            return
        what = f"{permission.value}{f' ({target})' if target else ''}"
        self._deny(self.actor, what, f"role {self.actor.role.value}")
        raise Forbidden(
            f"user {self.actor.name!r} ({self.actor.role.value}) may not {what}; "
            "the attempt is logged"
        )

    def close(self) -> None:
        self.engine.dispose()

    def now(self) -> datetime:
        """The ledger's clock (injected, so tests and runs can fix time)."""
        return self._clock()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- catalogue ---------------------------------------------------------------
    def load_catalogue(self, folder: Path | None = None) -> Catalogue:
        """Validate a catalogue folder and store it with its sourced baselines."""
        self._require(Permission.LOAD_CATALOGUE)
        files = read_catalogue_files(folder or default_catalogue_path())
        catalogue = parse_catalogue(
            files, name=(folder or default_catalogue_path()).name
        )
        actor, now = self.actor.name, self._clock()
        with self.sessions.transaction() as s:
            sid = catalogue_rows.save_catalogue(
                s, catalogue, files, at=now, actor=actor
            )
            evidence_rows.upsert_sources(s, citation_sources(catalogue))
            added = evidence_rows.add_observations(
                s, baseline_observations(catalogue), at=now, actor=actor
            )
            self._log(
                s,
                "load-catalogue",
                sid,
                {"name": catalogue.name, "baseline_observations": added},
            )
        self._catalogue = catalogue
        return catalogue

    def catalogue(self) -> Catalogue:
        """The catalogue last loaded into this ledger.

        Raises:
            NotFound: no catalogue was loaded yet.
        """
        self._require(Permission.READ_PUBLIC, "the catalogue")
        if self._catalogue is None:
            with self.sessions.read() as s:
                snap = catalogue_rows.latest_snapshot(s)
            if snap is None:
                raise NotFound("no catalogue loaded: run `rightsledger catalogue load`")
            self._catalogue = parse_catalogue(snap.files, name=snap.name)
        return self._catalogue

    # -- evidence ----------------------------------------------------------------
    def add_evidence(
        self,
        *,
        sources: Iterable[Source] = (),
        observations: Iterable[Observation] = (),
        records: Sequence[PersonRecord] = (),
        agreements: Iterable[Agreement] = (),
        origin: Origin = Origin.REAL,
        label: str = "evidence",
    ) -> dict[str, int]:
        """Store sources, observations, records and agreements in one transaction.

        Raises:
            InputErrors: an observation or record names an unknown source,
                indicator or facility; nothing is written.
        """
        self._require(Permission.WRITE_EVIDENCE, label)
        sources, observations = list(sources), list(observations)
        self._check_references(sources, observations, records, label)
        actor, now = self.actor.name, self._clock()
        with self.sessions.transaction() as s:
            counts = {
                "sources": evidence_rows.upsert_sources(s, sources),
                "records": evidence_rows.add_records(s, records, self._cipher, origin),
                "observations": evidence_rows.add_observations(
                    s, observations, at=now, actor=actor
                ),
                "agreements": 0,
            }
            for agreement in agreements:
                catalogue_rows.save_agreement(s, agreement, origin)
                counts["agreements"] += 1
            self._log(s, "add-evidence", label, counts)
        return counts

    def _check_references(
        self,
        sources: Sequence[Source],
        observations: Sequence[Observation],
        records: Sequence[PersonRecord],
        label: str,
    ) -> None:
        catalogue = self.catalogue()
        problems = reference_problems(
            observations,
            records,
            sources={*self.sources(), *(s.id for s in sources)},
            indicators={i.key for i in catalogue.indicators()},
            facilities=self._facility_ids(),
            today=self._clock().date(),
            label=label,
        )
        InputErrors.raise_if_any(problems, what=label)

    def _facility_ids(self) -> set[str]:
        with self.sessions.read() as s:
            return catalogue_rows.facility_ids(s)

    def _public_only(self) -> bool:
        """Whether the actor sees only the evidence of public sources."""
        if self.actor.may(Permission.READ_EVIDENCE):
            return False
        self._require(Permission.READ_PUBLIC, "evidence")
        return True

    def sources(self) -> dict[str, Source]:
        """Sources the actor may see: all of them, or for a viewer the public ones."""
        public_only = self._public_only()
        with self.sessions.read() as s:
            found = evidence_rows.load_sources(s)
        if public_only:
            return {k: v for k, v in found.items() if v.confidentiality.is_public}
        return found

    def observations(self) -> list[Observation]:
        """Observations the actor may see: all, or for a viewer those of public
        sources."""
        public_only = self._public_only()
        with self.sessions.read() as s:
            found = evidence_rows.load_observations(s)
            if public_only:
                public = {
                    k
                    for k, v in evidence_rows.load_sources(s).items()
                    if v.confidentiality.is_public
                }
                found = [o for o in found if o.source_id in public]
        return found

    #: Analysis steps that may decrypt identities in memory: their code gets the
    #: names, and never shows them (see :meth:`records_for_analysis`).
    ANALYSIS_STEPS = frozenset({"linkage", "estimation"})

    def records_for_analysis(self, step: str) -> list[PersonRecord]:
        """Records with identities decrypted for an analysis step's code (analysts
        may run linkage; the names never leave the step). The read is logged.

        Raises:
            InputError: ``step`` is not an analysis step.
            Forbidden: the actor may not run analyses.
        """
        if step not in self.ANALYSIS_STEPS:
            steps = ", ".join(sorted(self.ANALYSIS_STEPS))
            raise InputError(
                f"{step!r} is not an analysis step ({steps})", field="step"
            )
        self._require(Permission.RUN_ANALYSIS, f"records for {step}")
        return self._decrypted_records(step)

    def records(
        self, *, purpose: str, ids: Collection[str] | None = None
    ) -> list[PersonRecord]:
        """Records with names and birth years, for a person to read
        (investigators): all of them, or those of ``ids``. The read, how many
        records and its purpose are written to the custody log.

        Raises:
            Forbidden: the actor may not read identities.
        """
        self._require(Permission.READ_IDENTITIES, f"records for {purpose}")
        return self._decrypted_records(purpose, ids)

    def _decrypted_records(
        self, purpose: str, ids: Collection[str] | None = None
    ) -> list[PersonRecord]:
        with self.sessions.transaction() as s:
            out = evidence_rows.load_records(s, self._cipher, ids)
            self._log(
                s, "read-identities", "records", {"count": len(out), "purpose": purpose}
            )
        return out

    # -- runs --------------------------------------------------------------------
    def record_run(
        self,
        step: str,
        parameters: dict[str, object],
        inputs: object,
        *,
        seed: int | None = None,
        clustering: Clustering | None = None,
        estimates: Sequence[EstimateResult] = (),
        assessments: Sequence[BenchmarkAssessment] = (),
        origin: Origin = Origin.REAL,
        with_run: Callable[[Session, str], None] | None = None,
    ) -> str:
        """Store one run of a step with its inputs hash, parameters and results.

        ``with_run(session, run_id)`` stores what else belongs to the run in the
        same transaction: either all of it lands, or none."""
        self._require(Permission.RUN_ANALYSIS, step)
        inputs_hash = hashlib.sha256(
            json.dumps(inputs, sort_keys=True, default=str).encode()
        ).hexdigest()
        actor, now = self.actor.name, self._clock()
        with self.sessions.transaction() as s:
            run_id = runs.start_run(
                s,
                step=step,
                parameters=dict(parameters),
                inputs_hash=inputs_hash,
                seed=seed,
                version=__version__,
                actor=actor,
                at=now,
            )
            if clustering is not None:
                runs.save_clustering(s, run_id, clustering)
            runs.save_estimates(s, run_id, estimates, origin)
            runs.save_assessments(s, run_id, assessments)
            if with_run is not None:
                with_run(s, run_id)
            self._log(s, f"run-{step}", run_id, {"inputs_hash": inputs_hash})
        return run_id

    def latest_clustering(self) -> Clustering:
        self._require(Permission.READ_EVIDENCE, "linkage")
        with self.sessions.read() as s:
            run = runs.latest_run(s, "link")
            if run is None:
                raise NotFound("no linkage run yet: run `rightsledger link`")
            return runs.load_clustering(s, run)

    def estimates(self) -> list[EstimateResult]:
        """Estimates of the latest estimation run (empty when none ran)."""
        self._require(Permission.READ_PUBLIC, "estimates")
        with self.sessions.read() as s:
            run = runs.latest_run(s, "estimate")
            return [] if run is None else runs.load_estimates(s, [run.id])

    def latest_assessments(self) -> dict[date, list[BenchmarkAssessment]]:
        self._require(Permission.READ_PUBLIC, "assessments")
        with self.sessions.read() as s:
            run = runs.latest_run(s, "assess")
            if run is None:
                raise NotFound("no assessment yet: run `rightsledger assess`")
            return runs.load_assessments(s, run.id)

    # -- intake ------------------------------------------------------------------
    def import_file(
        self,
        path: Path,
        kind: str,
        *,
        fmt: str | None = None,
        origin: Origin = Origin.REAL,
        rows: Iterator[Row] | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        """Import one file of one kind (sources, observations, facilities, records,
        witnesses, testimonies) in one transaction.

        A file whose content was imported before changes nothing. ``rows`` lets a
        translation layer (an Uwazi mapping) feed rows instead of the file.

        Raises:
            InputErrors: any problem, each with file, row and field; nothing lands.
        """
        self._require(Permission.WRITE_EVIDENCE, f"import {path.name}")
        spec = intake_kind(kind)
        content_hash = sha256_of(path)
        source = RowFile(path, format_of(path, fmt), kind)
        with self.sessions.transaction() as s:
            done = vault_rows.already_imported(s, content_hash)
            if done is not None:
                return ImportSummary(
                    kind,
                    path.name,
                    content_hash,
                    done.rows,
                    0,
                    0,
                    already_imported=True,
                )
            ctx = self._intake_context(s, content_hash, origin)
            summary = import_rows(s, spec, source, ctx, rows=rows, progress=progress)
            vault_rows.record_import(
                s,
                content_hash=content_hash,
                kind=kind,
                # file names often name the person or the witness: kept sealed
                file_name=self._cipher.encrypt_text(
                    path.name, context=f"import:{content_hash}"
                ).hex(),
                rows=summary.rows,
                at=ctx.at,
                by=self.actor.name,
            )
            self._log(
                s,
                f"import-{kind}",
                content_hash,
                {"rows": summary.rows, "added": summary.added},
            )
        return summary

    def _intake_context(self, s: Session, content_hash: str, origin: Origin) -> Context:
        try:
            indicators = {i.key for i in self.catalogue().indicators()}
        except NotFound:  # no catalogue yet: each indicator is reported unknown
            indicators = set()
        return Context(
            cipher=self._cipher,
            actor=self.actor.name,
            at=self._clock(),
            today=self._clock().date(),
            import_hash=content_hash,
            origin=origin,
            sources={k: v.kind.value for k, v in evidence_rows.load_sources(s).items()},
            facilities=catalogue_rows.facility_ids(s),
            indicators=indicators,
            witnesses=evidence_rows.witness_ids(s),
        )

    def attach(
        self,
        source_id: str,
        path: Path,
        *,
        collected_by: str,
        method: str,
        collected_on: date | None = None,
        media_type: str | None = None,
    ) -> Attachment:
        """Store a file in the vault and attach it to a source, with the Berkeley
        Protocol's intake metadata (who collected it, when, how, original name,
        size, media type, hash at intake).

        Raises:
            NotFound: no such source or file.
            InputError: the file was already attached to this source.
        """
        self._require(Permission.WRITE_EVIDENCE, f"attach to {source_id}")
        if not path.is_file():
            raise NotFound(f"no file at {path}")
        if source_id not in self.sources():
            raise NotFound(f"no source {source_id!r} in the ledger")
        files = VaultFiles(vault_path_for(self.settings))
        with self.sessions.transaction() as s:
            known = {
                r.sha256: self._cipher.unwrap(r.wrapped_key, context=r.sha256)
                for r in vault_rows.files(s)
            }
            stored = files.store(path, existing_key=known)
            if vault_rows.attachment(s, source_id, stored.sha256) is not None:
                raise InputError(
                    f"already attached to {source_id} (sha256 {stored.sha256})",
                    file=path.name,
                )
            kind = media_type or guess_media_type(path)
            if stored.new:
                vault_rows.add_file(
                    s,
                    sha256=stored.sha256,
                    size=stored.size,
                    media_type=kind,
                    wrapped=self._cipher.wrap(stored.data_key, context=stored.sha256),
                    at=self._clock(),
                )
            vault_rows.add_attachment(
                s,
                source_id=source_id,
                sha256=stored.sha256,
                original_name=self._cipher.encrypt_text(
                    path.name, context=f"attachment:{source_id}:{stored.sha256}"
                ),
                collected_by=collected_by,
                collected_on=collected_on,
                method=method,
                at=self._clock(),
                by=self.actor.name,
            )
            self._log(
                s,
                "attach",
                source_id,
                {"sha256": stored.sha256, "size": stored.size, "media_type": kind},
            )
        return Attachment(
            source_id,
            stored.sha256,
            stored.size,
            kind,
            path.name,
            collected_by,
            collected_on,
            method,
        )

    def attachments(self, source_id: str | None = None) -> list[Attachment]:
        """Files attached to sources. The original file name (which often names
        someone) is shown only to investigators; others see "(hidden)"."""
        self._require(Permission.READ_EVIDENCE, "attachments")
        names = self.actor.may(Permission.READ_IDENTITIES)
        with self.sessions.read() as s:
            out = []
            for a, v in vault_rows.attachments(s, source_id):
                original = (
                    self._cipher.decrypt_text(
                        a.original_name, context=f"attachment:{a.source_id}:{a.sha256}"
                    )
                    if names
                    else "(hidden)"
                )
                out.append(
                    Attachment(
                        a.source_id,
                        a.sha256,
                        v.size,
                        v.media_type,
                        original,
                        a.collected_by,
                        a.collected_on,
                        a.method,
                    )
                )
        return out

    def read_attachment(self, sha256: str, dst: BinaryIO) -> None:
        """Decrypt a vault file into ``dst`` (investigators; logged).

        Raises:
            NotFound: no such file. IntegrityError: the file was altered.
        """
        self._require(Permission.READ_IDENTITIES, f"vault file {sha256}")
        with self.sessions.transaction() as s:
            wrapped = vault_rows.wrapped_key(s, sha256)
            if wrapped is None:
                raise NotFound(f"no vault file {sha256}")
            self._log(s, "read-file", sha256)
        key = self._cipher.unwrap(wrapped, context=sha256)
        VaultFiles(vault_path_for(self.settings)).read(sha256, key, dst)

    # -- identities --------------------------------------------------------------
    def pseudonymous_records(self) -> list[PersonRecord]:
        """Every record with its pseudonym in place of the name and no birth year:
        what an analyst works with."""
        self._require(Permission.READ_EVIDENCE, "records")
        with self.sessions.read() as s:
            return evidence_rows.load_pseudonymous_records(s)

    def witnesses(self, *, purpose: str) -> list[dict[str, object]]:
        """Witnesses with their identities (investigators; logged)."""
        self._require(Permission.READ_IDENTITIES, "witnesses")
        with self.sessions.transaction() as s:
            out = evidence_rows.load_witnesses(s, self._cipher)
            self._log(
                s,
                "read-identities",
                "witnesses",
                {"count": len(out), "purpose": purpose},
            )
        return out

    def testimony(self, testimony_id: str, *, purpose: str) -> dict[str, object]:
        """One testimony with its text (investigators; logged).

        Raises:
            NotFound: no such testimony.
        """
        self._require(Permission.READ_IDENTITIES, f"testimony {testimony_id}")
        with self.sessions.transaction() as s:
            out = evidence_rows.load_testimony(s, self._cipher, testimony_id)
            self._log(s, "read-testimony", testimony_id, {"purpose": purpose})
        return out

    # -- linkage -----------------------------------------------------------------
    def record_link_run(
        self, result: LinkResult, inputs: object, *, origin: Origin = Origin.REAL
    ) -> str:
        """Store a probabilistic linkage run: its clustering, parameters and seed
        (in ``runs``), every scored pair with its comparisons' match weights, and
        its trained model. The model holds frequency tables of name values, so it
        is stored encrypted; no name or name hash is stored in clear."""
        params = {k: v for k, v in result.clustering.parameters.items() if k != "model"}
        params["pairs_compared"] = result.pairs_compared
        clustering = Clustering(
            result.clustering.assignment, result.clustering.method, params
        )
        seed = params.get("seed")

        def pairs_and_model(s: Session, run_id: str) -> None:
            sealed = self._cipher.encrypt_text(
                result.model.to_json(), context=f"link-model:{run_id}"
            )
            link_rows.save_model(s, run_id, sealed.hex())
            link_rows.save_pairs(
                s,
                run_id,
                (
                    (p.left, p.right, p.match_weight, p.probability, p.weights)
                    for p in result.pairs
                ),
            )

        return self.record_run(
            "link",
            params,
            inputs,
            seed=seed if isinstance(seed, int) else None,
            clustering=clustering,
            origin=origin,
            with_run=pairs_and_model,
        )

    def latest_link_result(self) -> LinkResult | None:
        """The latest linkage run as a :class:`LinkResult` (model, pairs,
        clustering), for incremental linking; None when the latest run was not
        probabilistic or none ran."""
        self._require(Permission.RUN_ANALYSIS, "linkage model")
        with self.sessions.read() as s:
            run = runs.latest_run(s, "link")
            if run is None:
                return None
            sealed = link_rows.load_model(s, run.id)
            if sealed is None:
                return None
            clustering = runs.load_clustering(s, run)
            rows = link_rows.load_pairs(s, run.id)
        model = LinkModel.from_json(
            self._cipher.decrypt_text(
                bytes.fromhex(sealed), context=f"link-model:{run.id}"
            )
        )
        comparisons = tuple(model.levels)
        pairs = ScoredPairs(
            tuple(r[0] for r in rows),
            tuple(r[1] for r in rows),
            np.array([r[2] for r in rows], dtype=np.float64),
            np.array([r[3] for r in rows], dtype=np.float64),
            comparisons,
            np.array(
                [[r[4].get(c, 0.0) for c in comparisons] for r in rows],
                dtype=np.float32,
            ).reshape(len(rows), len(comparisons)),
        )
        return LinkResult(
            clustering=clustering,
            pairs=pairs,
            model=model,
            parameters=clustering.parameters,
            pairs_compared=int(clustering.parameters.get("pairs_compared", -1)),
            seconds=0.0,
        )

    def link_pairs(self, run_id: str | None = None) -> list[ScoredPair]:
        """Scored pairs of a linkage run (default: the latest), each with the
        match weight of every comparison: why two records were linked or not."""
        self._require(Permission.READ_EVIDENCE, "linkage pairs")
        with self.sessions.read() as s:
            if run_id is None:
                run = runs.latest_run(s, "link")
                if run is None:
                    raise NotFound("no linkage run yet: run `rightsledger link`")
                run_id = run.id
            rows = link_rows.load_pairs(s, run_id)
        return [ScoredPair(*r) for r in rows]

    def link_decisions(self) -> list[Decision]:
        """Every review decision, oldest first (a later one on a pair wins)."""
        self._require(Permission.READ_EVIDENCE, "link decisions")
        with self.sessions.read() as s:
            return [Decision(d.left, d.right, d.accept) for d in link_rows.decisions(s)]

    def decide_link(
        self, left: str, right: str, *, accept: bool, note: str = ""
    ) -> None:
        """Record an investigator's decision on a pair (append-only; later runs
        respect it: accepted pairs are one person, rejected ones never).

        Raises:
            NotFound: a record id is not in the ledger.
            InputError: the two ids are the same.
        """
        self._require(Permission.REVIEW_LINKS, f"{left} / {right}")
        if left == right:
            raise InputError("a record cannot be paired with itself", field="pair")
        with self.sessions.transaction() as s:
            for rid in (left, right):
                if s.get(RecordRow, rid) is None:
                    raise NotFound(f"no record {rid!r} in the ledger")
            link_rows.add_decision(
                s,
                left=left,
                right=right,
                accept=accept,
                at=self._clock(),
                by=self.actor.name,
                note=note,
            )
            self._log(
                s,
                "accept-link" if accept else "reject-link",
                f"{min(left, right)}/{max(left, right)}",
                {"note": note} if note else None,
            )

    # -- users -------------------------------------------------------------------
    def add_user(self, name: str, role: Role, *, password: str | None = None) -> None:
        """Add a user (admins).

        Raises:
            InputError: the name is taken or empty, or the password too short.
        """
        self._require(Permission.MANAGE_USERS, f"add user {name}")
        if not name.strip() or len(name) > 200:
            raise InputError("a user name must be 1 to 200 characters", field="name")
        hashed = None if password is None else hash_password(_checked(password))
        with self.sessions.transaction() as s:
            if user_rows.get(s, name) is not None:
                raise InputError(f"user {name!r} already exists", field="name")
            user_rows.add(
                s,
                name=name,
                role=role,
                password_hash=hashed,
                at=self._clock(),
                by=self.actor.name,
            )
            self._log(s, "add-user", name, {"role": role.value})

    def users(self) -> list[dict[str, object]]:
        """Every user: name, role, whether active, whether a password and a token
        are set (never the hashes)."""
        self._require(Permission.MANAGE_USERS, "list users")
        with self.sessions.read() as s:
            return [
                {
                    "name": u.name,
                    "role": u.role,
                    "active": u.active,
                    "password": u.password_hash is not None,
                    "token": u.token_hash is not None,
                    "created_at": u.created_at,
                }
                for u in user_rows.all_users(s)
            ]

    def set_password(self, name: str, password: str) -> None:
        """Set a user's password: one's own, or anyone's for an admin."""
        if name != self.actor.name:
            self._require(Permission.MANAGE_USERS, f"set the password of {name}")
        hashed = hash_password(_checked(password))
        with self.sessions.transaction() as s:
            row = user_rows.get(s, name)
            if row is None:
                raise NotFound(f"no user {name!r}")
            row.password_hash = hashed
            self._log(s, "set-password", name)

    def set_role(
        self, name: str, role: Role | None = None, *, active: bool = True
    ) -> None:
        """Change a user's role, or disable / enable them (admins)."""
        self._require(Permission.MANAGE_USERS, f"change user {name}")
        if name == self.actor.name and (not active or role not in (None, Role.ADMIN)):
            raise InputError(
                "an admin cannot demote or disable themselves", field="name"
            )
        with self.sessions.transaction() as s:
            row = user_rows.get(s, name)
            if row is None:
                raise NotFound(f"no user {name!r}")
            if role is not None:
                row.role = role.value
            row.active = active
            self._log(s, "change-user", name, {"role": row.role, "active": active})

    def issue_token(self, name: str) -> str:
        """A new API token for a user (their own, or anyone's for an admin); the
        previous one stops working. Only its hash is kept."""
        if name != self.actor.name:
            self._require(Permission.MANAGE_USERS, f"issue a token for {name}")
        token = new_token()
        with self.sessions.transaction() as s:
            row = user_rows.get(s, name)
            if row is None:
                raise NotFound(f"no user {name!r}")
            row.token_hash = token_hash(token)
            self._log(s, "issue-token", name)
        return token

    # -- keys --------------------------------------------------------------------
    def rotate_key(
        self,
        *,
        new_passphrase: str | None = None,
        progress: Callable[[str, int], None] | None = None,
    ) -> dict[str, int]:
        """Re-encrypt every encrypted value under a new key (admins).

        Key-file ledgers: the new key is written to ``<key>.next`` first; one
        transaction re-encrypts everything and records the new key's fingerprint;
        then the old file is kept as ``<key>.old-<time>`` (backups made before need
        it) and the new one takes its name. Interrupted before the commit, nothing
        changed and the stale ``.next`` is removed at the next open; interrupted
        after, the next open finishes the renaming. Passphrase ledgers need
        ``new_passphrase``; the new salt lands in the same transaction.
        """
        self._require(Permission.MANAGE_KEYS, "rotate the key")
        with self.sessions.read() as s:
            source_row = s.get(Meta, "key_source")
        by_passphrase = source_row is not None and source_row.value == "passphrase"
        meta: dict[str, str] = {}
        next_path: Path | None = None
        if by_passphrase:
            if not new_passphrase:
                raise InputError(
                    "this ledger's key comes from a passphrase: give the new one",
                    field="passphrase",
                )
            salt = secrets.token_bytes(16)
            new_key = LedgerKey.from_passphrase(new_passphrase, salt)
            meta["key_salt"] = salt.hex()
        else:
            key_path = key_path_for(self.settings)
            next_path = key_path.with_name(key_path.name + ".next")
            next_path.unlink(missing_ok=True)
            new_key = LedgerKey.generate()
            new_key.save(next_path)
        meta["key_fingerprint"] = new_key.fingerprint
        old_cipher, new_cipher = self._cipher, FieldCipher(new_key)
        try:
            with self.sessions.transaction() as s:
                counts = ciphertexts.reencrypt(s, old_cipher, new_cipher, progress)
                for name, value in meta.items():
                    s.merge(Meta(key=name, value=value))
                self._cipher = new_cipher
                self._log(
                    s,
                    "rotate-key",
                    "ledger key",
                    {**counts, "fingerprint": new_key.fingerprint},
                )
        except BaseException:
            self._cipher = old_cipher
            raise
        self._key = new_key
        if next_path is not None:
            finish_rotation(key_path_for(self.settings), new_key.fingerprint)
        return counts

    # -- export, backup, restore -------------------------------------------------
    def export_public(
        self, out_dir: Path, *, date_precision: str = "year"
    ) -> ExportSummary:
        """Write the public export: aggregates only, small cells suppressed
        (``small_cell_threshold``) with complementary suppression, dates coarsened,
        no identifying field (docs/export.md). Names are never decrypted for it.
        """
        self._require(Permission.EXPORT_PUBLIC, str(out_dir))
        try:
            assessments = self.latest_assessments()
        except NotFound:
            assessments = {}
        summary = write_public_export(
            out_dir,
            catalogue=self.catalogue(),
            sources=self.sources(),
            observations=self.observations(),
            records=self.pseudonymous_records(),
            assessments=assessments,
            estimates=self.estimates(),
            generated_on=self._clock().date(),
            threshold=self.settings.small_cell_threshold,
            date_precision=date_precision,
        )
        with self.sessions.transaction() as s:
            self._log(
                s,
                "export-public",
                out_dir.name,
                {"files": len(summary.files), "suppressed": summary.suppressed},
            )
        return summary

    def backup(
        self, out_path: Path, *, progress: Callable[[str], None] | None = None
    ) -> BackupManifest:
        """Write one encrypted, self-verifying archive of the database, the vault
        and the custody log (admins). The custody entry of the backup is written
        first, so the archive holds it. Restoring needs this ledger's key."""
        self._require(Permission.BACKUP, out_path.name)
        if out_path.exists():
            raise ConfigError(f"{out_path} exists; refusing to overwrite a file")
        with self.sessions.transaction() as s:
            self._log(s, "backup", out_path.name)
            meta = {m.key: m.value for m in s.query(Meta)}
        public = {"key_source": meta.get("key_source", "file")}
        if "key_salt" in meta:
            public["key_salt"] = meta["key_salt"]
        return write_backup(
            self.engine,
            vault_path_for(self.settings),
            self._cipher.backup_key,
            out_path,
            progress=progress,
            key_fingerprint=self._key.fingerprint,
            public=public,
            now=self._clock(),
        )

    @classmethod
    def restore(
        cls,
        settings: Settings,
        archive: Path,
        clock: Clock = _utcnow,
        *,
        progress: Callable[[str], None] | None = None,
    ) -> tuple[Ledger, BackupManifest]:
        """Restore an archive into an empty database and vault, then open it as
        ``settings.actor`` (an admin of the restored ledger) and log the restore.

        The key is the original ledger's: its key file (``settings.key_file`` or
        beside the new SQLite file), or its passphrase for a passphrase ledger.

        Raises:
            ConfigError: the target is not empty, or the key is not the ledger's.
            IntegrityError: the archive was altered or truncated; nothing written.
        """
        public = read_public(archive)
        if public.get("key_source") == "passphrase":
            if settings.passphrase is None:
                raise PassphraseRequired(
                    "this backup is of a passphrase ledger: set "
                    "RIGHTSLEDGER_PASSPHRASE or enter it when asked"
                )
            key = LedgerKey.from_passphrase(
                settings.passphrase.get_secret_value(),
                bytes.fromhex(public["key_salt"]),
            )
        else:
            key = LedgerKey.load(key_path_for(settings))
        engine = make_engine(parse_url(settings.database_url))
        try:
            manifest = restore_backup(
                archive,
                FieldCipher(key).backup_key,
                engine,
                vault_path_for(settings),
                progress=progress,
            )
        finally:
            engine.dispose()
        if manifest.key_fingerprint not in (None, key.fingerprint):
            raise ConfigError("the key does not belong to the restored ledger")
        ledger = cls.open(settings, clock)
        try:
            ledger._require(Permission.BACKUP, "restore")
            with ledger.sessions.transaction() as s:
                ledger._log(
                    s,
                    "restore",
                    archive.name,
                    {"backup_taken": manifest.created_at.isoformat()},
                )
        except BaseException:
            ledger.close()
            raise
        return ledger, manifest

    # -- integrity ---------------------------------------------------------------
    def custody(self, last: int | None = None) -> list[CustodyEntry]:
        """The custody log, oldest first (only the ``last`` entries when given).
        Entries name actors, actions and targets (ids), never an identity."""
        self._require(Permission.READ_EVIDENCE, "custody log")
        with self.sessions.read() as s:
            entries = list(custody_log.entries(s))
        return entries[-last:] if last else entries

    def verify(self) -> list[str]:
        """Every problem found (empty when intact): custody entries altered,
        inserted, removed or reordered; the log's end cut off; encrypted values
        that fail authentication; vault files altered, missing or unknown."""
        self._require(Permission.READ_PUBLIC, "verify")
        with self.sessions.read() as s:
            last: list[CustodyEntry] = []

            def tracked() -> Iterator[CustodyEntry]:
                for entry in custody_log.entries(s):
                    last[:] = [entry]
                    yield entry

            problems = chain_problems(tracked())
            anchor = s.get(Meta, "custody_anchor")
            problems += seal_problems(
                last[0] if last else None,
                None if anchor is None else anchor.value,
                self._cipher,
            )
            problems += ciphertexts.problems(s, self._cipher)
            problems += self._vault_problems(s)
        return problems

    def _vault_problems(self, s: Session) -> list[str]:
        rows = vault_rows.files(s)
        if (
            not rows
            and self.settings.vault_dir is None
            and (sqlite_path(parse_url(self.settings.database_url)) is None)
        ):
            return []
        files = VaultFiles(vault_path_for(self.settings))
        out: list[str] = []
        for row in rows:
            try:
                key = self._cipher.unwrap(row.wrapped_key, context=row.sha256)
            except IntegrityError:
                continue  # reported with the encrypted values
            problem = files.check(row.sha256, key)
            if problem is not None:
                out.append(problem)
        known = {files.relative(r.sha256) for r in rows}
        for name in files.names():
            if name not in known:
                out.append(
                    f"vault file {name} is not in the ledger (inserted, or left by an "
                    "interrupted intake)"
                )
        return out

    def require_intact(self) -> None:
        problems = self.verify()
        if problems:
            raise IntegrityError("ledger altered:\n" + "\n".join(problems))


def seal_problems(
    last: CustodyEntry | None, seal: str | None, cipher: FieldCipher
) -> list[str]:
    """What the keyed seal of the custody log's last entry (``"<seq>:<hmac>"``,
    see :meth:`FieldCipher.anchor`) says about the log's end: entries removed from
    it or added after it, or the log rewritten, none of which the hash chain alone
    can show."""
    if last is None:
        return ["the custody log is empty (every entry removed)"]
    sealed, _, mac = (seal or "").rpartition(":")
    if sealed in ("", str(last.seq)) and hmac.compare_digest(
        mac, cipher.anchor(last.seq, last.hash)
    ):
        return []
    n = int(sealed) if sealed.isdigit() else None
    if n is not None and n > last.seq:
        span = (
            f"entry {n} was"
            if n == last.seq + 1
            else f"entries {last.seq + 1}-{n} were"
        )
        return [
            f"the log ends at entry {last.seq}, but the ledger's seal names entry "
            f"{n}: {span} removed from the end"
        ]
    if n is not None and n < last.seq:
        return [
            f"the log ends at entry {last.seq}, but the ledger's seal names entry "
            f"{n}: entries were inserted or appended without the ledger's key"
        ]
    return [
        f"the log's last entry ({last.seq}) does not match the ledger's seal: the log "
        "was rewritten, or the seal altered"
    ]


def _checked(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
            field="password",
        )
    return password
