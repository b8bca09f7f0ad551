"""The catalogue, sources and observations, and stored runs of the chain's steps."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from .. import __version__
from ..access import Permission
from ..catalogue import default_catalogue_path, parse_catalogue
from ..domain import (
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
from ..errors import InputError, InputErrors, NotFound
from ..intake.catalogue_evidence import baseline_observations, citation_sources
from ..intake.references import reference_problems
from ..paths import read_catalogue_files
from ..store import analysis_rows as runs
from ..store import catalogue_rows, evidence_rows
from .integrity import IntegrityCases


class EvidenceCases(IntegrityCases):
    """The catalogue, sources and observations, and stored runs of the chain's steps."""

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
