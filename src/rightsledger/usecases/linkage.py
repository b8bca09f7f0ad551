"""Linkage runs, their pairs and model, and review decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from ..access import Permission
from ..domain import Clustering, Origin
from ..errors import InputError, IntegrityError, NotFound
from ..linkage.cluster import Decision
from ..linkage.result import LinkModel, LinkResult, ScoredPair, ScoredPairs
from ..store import analysis_rows as runs
from ..store import link_rows
from ..store.tables import RecordRow
from .intake import IntakeCases

#: Shown for a sealed note that fails authentication (``verify`` names it).
UNREADABLE_NOTE = "[this note fails authentication: run `rightsledger verify`]"


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One review decision as its reviewers see it."""

    id: int
    left: str
    right: str
    accept: bool
    decided_at: datetime
    decided_by: str
    note: str


class LinkageCases(IntakeCases):
    """Linkage runs, their pairs and model, and review decisions."""

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
            decision_id = link_rows.add_decision(
                s,
                left=left,
                right=right,
                accept=accept,
                at=self._clock(),
                by=self.actor.name,
                seal=lambda context: self._cipher.encrypt_text(
                    note, context=context
                ).hex(),
            )
            # the note itself is sealed in its row; the log says only that one exists
            self._log(
                s,
                "accept-link" if accept else "reject-link",
                f"{min(left, right)}/{max(left, right)}",
                {"decision": decision_id, "note": bool(note)},
            )

    def review_history(self, pair: tuple[str, str] | None = None) -> list[ReviewEntry]:
        """Every review decision (or those on one ``pair`` of record ids) with
        who, when and the note (unsealed), oldest first; for investigators, who
        write them.

        Raises:
            Forbidden: the actor may not review links.
        """
        self._require(Permission.REVIEW_LINKS, "link decisions")
        with self.sessions.read() as s:
            rows = link_rows.decisions(s, pair)
        return [
            ReviewEntry(
                r.id,
                r.left,
                r.right,
                r.accept,
                r.decided_at,
                r.decided_by,
                self._review_note(r.id, r.note_sealed, r.note),
            )
            for r in rows
        ]

    def _review_note(self, decision_id: int, sealed: str | None, clear: str) -> str:
        if sealed is None:
            return clear  # written before notes were sealed
        try:
            return self._cipher.decrypt_text(
                bytes.fromhex(sealed), context=link_rows.note_context(decision_id)
            )
        except (ValueError, IntegrityError):
            return UNREADABLE_NOTE
