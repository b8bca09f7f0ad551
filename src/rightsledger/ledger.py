"""The façade that the CLI, the web app and the tests all drive.

Each public method is one use case and one transaction: it lands whole or not at all,
and it appends to the custody log in the same transaction as the write it records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, inspect

from . import __version__
from .catalogue import default_catalogue_path, parse_catalogue
from .config import Settings
from .domain import (
    Agreement,
    BenchmarkAssessment,
    Catalogue,
    Clustering,
    EstimateResult,
    Observation,
    Origin,
    PersonRecord,
    Source,
)
from .errors import ConfigError, InputErrors, IntegrityError, NotFound
from .intake.catalogue_evidence import baseline_observations, citation_sources
from .intake.references import reference_problems
from .paths import key_path_for, read_catalogue_files
from .store import (
    Sessions,
    catalogue_rows,
    custody_log,
    evidence_rows,
    make_engine,
    parse_url,
    safe_url,
    sqlite_path,
)
from .store import analysis_rows as runs
from .store import migrations_runner as migrations
from .store.tables import Meta
from .vault import FieldCipher, LedgerKey, chain_problems

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """One open ledger: a database, its key, and the steps of the chain."""

    def __init__(
        self, engine: Engine, key: LedgerKey, settings: Settings, clock: Clock = _utcnow
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.sessions = Sessions(engine)
        self._cipher = FieldCipher(key)
        self._clock = clock
        self._catalogue: Catalogue | None = None

    # -- lifecycle ---------------------------------------------------------------
    @classmethod
    def init(cls, settings: Settings, clock: Clock = _utcnow) -> Ledger:
        """Create a new ledger: schema, key file, and the first custody entry.

        Raises:
            ConfigError: the database already holds tables, the key file exists, or
                the database cannot be reached.
        """
        url = parse_url(settings.database_url)
        key_path = key_path_for(settings)
        engine = make_engine(url)
        try:
            key = cls._new_schema(engine, key_path, safe_url(url))
        except BaseException:
            engine.dispose()
            raise
        ledger = cls(engine, key, settings, clock)
        with ledger.sessions.transaction() as s:
            s.add(Meta(key="key_fingerprint", value=key.fingerprint))
            s.add(Meta(key="created_at", value=clock().isoformat()))
            custody_log.append(
                s,
                actor=settings.actor,
                action="init",
                target=safe_url(url),
                at=clock(),
                detail={"software_version": __version__},
            )
        return ledger

    @classmethod
    def open(cls, settings: Settings, clock: Clock = _utcnow) -> Ledger:
        """Open an existing ledger, checking its schema and its key.

        Raises:
            ConfigError: no ledger there, an old schema, or the wrong key file.
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
        return cls(engine, key, settings, clock)

    @staticmethod
    def _new_schema(engine: Engine, key_path: Path, where: str) -> LedgerKey:
        if inspect(engine).get_table_names():
            raise ConfigError(
                f"{where} already holds tables; init needs an empty database"
            )
        if key_path.exists():
            raise ConfigError(
                f"key file {key_path} already exists; refusing to overwrite"
            )
        migrations.upgrade(engine)
        key = LedgerKey.generate()
        key.save(key_path)
        return key

    @staticmethod
    def _checked_key(engine: Engine, settings: Settings, where: str) -> LedgerKey:
        current, head = migrations.current_revision(engine), migrations.head_revision()
        if current is None:
            raise ConfigError(f"{where} is not a rightsledger ledger (run init)")
        if current != head:
            raise ConfigError(
                f"{where} has schema {current}; this version needs {head}"
            )
        key = LedgerKey.load(key_path_for(settings))
        with Sessions(engine).read() as s:
            stored = s.get(Meta, "key_fingerprint")
        if stored is None or stored.value != key.fingerprint:
            raise ConfigError("the key file does not belong to this ledger")
        return key

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
        files = read_catalogue_files(folder or default_catalogue_path())
        catalogue = parse_catalogue(
            files, name=(folder or default_catalogue_path()).name
        )
        actor, now = self.settings.actor, self._clock()
        with self.sessions.transaction() as s:
            sid = catalogue_rows.save_catalogue(
                s, catalogue, files, at=now, actor=actor
            )
            evidence_rows.upsert_sources(s, citation_sources(catalogue))
            added = evidence_rows.add_observations(
                s, baseline_observations(catalogue), at=now, actor=actor
            )
            custody_log.append(
                s,
                actor=actor,
                action="load-catalogue",
                target=sid,
                at=now,
                detail={"name": catalogue.name, "baseline_observations": added},
            )
        self._catalogue = catalogue
        return catalogue

    def catalogue(self) -> Catalogue:
        """The catalogue last loaded into this ledger.

        Raises:
            NotFound: no catalogue was loaded yet.
        """
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
        sources, observations = list(sources), list(observations)
        self._check_references(sources, observations, records, label)
        actor, now = self.settings.actor, self._clock()
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
            custody_log.append(
                s,
                actor=actor,
                action="add-evidence",
                target=label,
                at=now,
                detail=counts,
            )
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
            facilities={f.id for f in catalogue.facilities},
            today=self._clock().date(),
            label=label,
        )
        InputErrors.raise_if_any(problems, what=label)

    def sources(self) -> dict[str, Source]:
        with self.sessions.read() as s:
            return evidence_rows.load_sources(s)

    def observations(self) -> list[Observation]:
        with self.sessions.read() as s:
            return evidence_rows.load_observations(s)

    def records(self, *, purpose: str) -> list[PersonRecord]:
        """Records with identities decrypted; the read is written to the custody log."""
        with self.sessions.transaction() as s:
            out = evidence_rows.load_records(s, self._cipher)
            custody_log.append(
                s,
                actor=self.settings.actor,
                action="read-identities",
                target="records",
                at=self._clock(),
                detail={"count": len(out), "purpose": purpose},
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
    ) -> str:
        """Store one run of a step with its inputs hash, parameters and results."""
        inputs_hash = hashlib.sha256(
            json.dumps(inputs, sort_keys=True, default=str).encode()
        ).hexdigest()
        actor, now = self.settings.actor, self._clock()
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
            custody_log.append(
                s,
                actor=actor,
                action=f"run-{step}",
                target=run_id,
                at=now,
                detail={"inputs_hash": inputs_hash},
            )
        return run_id

    def latest_clustering(self) -> Clustering:
        with self.sessions.read() as s:
            run = runs.latest_run(s, "link")
            if run is None:
                raise NotFound("no linkage run yet: run `rightsledger link`")
            return runs.load_clustering(s, run)

    def estimates(self) -> list[EstimateResult]:
        """Estimates of the latest estimation run (empty when none ran)."""
        with self.sessions.read() as s:
            run = runs.latest_run(s, "estimate")
            return [] if run is None else runs.load_estimates(s, [run.id])

    def latest_assessments(self) -> dict[date, list[BenchmarkAssessment]]:
        with self.sessions.read() as s:
            run = runs.latest_run(s, "assess")
            if run is None:
                raise NotFound("no assessment yet: run `rightsledger assess`")
            return runs.load_assessments(s, run.id)

    # -- integrity ---------------------------------------------------------------
    def verify(self) -> list[str]:
        """Problems found in the custody chain (empty when intact)."""
        with self.sessions.read() as s:
            return chain_problems(custody_log.entries(s))

    def require_intact(self) -> None:
        problems = self.verify()
        if problems:
            raise IntegrityError("custody log altered:\n" + "\n".join(problems))
