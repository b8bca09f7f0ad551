"""Response and request models of the JSON API (``...Public`` out, ``...Create`` in).

Models are built from the plain data of :mod:`rightsledger.browse.api` and the
cached scorecard, never from table rows, and no model has a field for a name, a
birth year or any other identifying value: what a role may not see cannot be
serialised by accident.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ...domain import (
    Confidentiality,
    FacilityState,
    IndicatorKind,
    Origin,
    Reliability,
    Role,
    SourceKind,
    Stance,
    StandardOfProof,
    Status,
    Verification,
)

#: An id in the ledger: 1-120 characters, no white space, no slash, no NUL.
ID_PATTERN = r"^[^\s/\x00]+$"
Identifier = Annotated[str, Field(min_length=1, max_length=120, pattern=ID_PATTERN)]


class _Public(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Problem(_Public):
    """One problem with the request: what and where (file, row, field)."""

    message: str
    location: list[str | int | None]


class ApiError(_Public):
    """Every error answer: ``ok`` is false, ``status`` repeats the HTTP status."""

    ok: Literal[False]
    error: str
    errors: list[Problem]
    status: int


# -- benchmarks -------------------------------------------------------------------
class StatusChangePublic(_Public):
    date: dt.date
    from_: Status = Field(alias="from")
    to: Status


class TimelinePointPublic(_Public):
    """The status on one assessment date (None: not assessed on it)."""

    date: dt.date
    status: Status | None
    simulated: bool


class BenchmarkSummaryPublic(_Public):
    id: str
    title: str
    title_ko: str
    status: Status | None
    standard: StandardOfProof | None
    as_of: dt.date | None
    simulated: bool
    last_change: StatusChangePublic | None


class BenchmarkListPublic(_Public):
    assessed: bool
    as_of: dt.date | None
    items: list[BenchmarkSummaryPublic]


class IndicatorPublic(_Public):
    """An indicator's status and the observations behind it (ids; the caller
    may read them from /api/v1/observations). ``evidence_not_shown`` counts
    cited observations the caller may not see."""

    key: str
    kind: IndicatorKind | Literal[""]
    target: str
    status: Status
    standard: StandardOfProof
    reason: str
    evidence: list[str]
    evidence_not_shown: int


class NeedPublic(_Public):
    text: str
    facility: str
    suppliers: list[str]
    more: int


class IndicatorPlanPublic(_Public):
    key: str
    target: str
    status: Status
    next_status: Status | None
    note: str
    needs: list[NeedPublic]


class SupplierPublic(_Public):
    owner: str
    kinds: list[SourceKind]
    sources: list[str]
    reliability: Reliability
    simulated: bool


class PlanPublic(_Public):
    """What evidence would move the benchmark to its next status, and who
    (organisations, never persons) could supply it."""

    as_of: dt.date
    status: Status
    next_status: Status | None
    summary: str
    needs_all: bool
    indicators_needed: list[str]
    indicators: list[IndicatorPlanPublic]
    suppliers: list[SupplierPublic]


class BenchmarkPublic(BenchmarkSummaryPublic):
    statement: str
    demanded_by: list[str]
    reason: str
    timeline: list[TimelinePointPublic]
    indicators: list[IndicatorPublic]
    plan: PlanPublic | None


# -- evidence ---------------------------------------------------------------------
class ObservationPublic(_Public):
    id: str
    source_id: str
    indicator_key: str
    benchmark_id: str
    facility_id: str | None
    observed_on: dt.date
    stance: Stance
    credibility: int = Field(ge=1, le=6)
    summary: str
    value: float | None
    status: str | None
    origin: Origin


class ObservationPagePublic(_Public):
    """One page, oldest first; pass ``next_cursor`` back as ``cursor`` for the
    next (None: this is the last page)."""

    items: list[ObservationPublic]
    limit: int
    next_cursor: str | None


class SourcePublic(_Public):
    id: str
    kind: SourceKind
    title: str
    owner: str
    reliability: Reliability
    published_on: dt.date | None
    confidentiality: Confidentiality
    origin: Origin
    citation: str


class SourceListPublic(_Public):
    items: list[SourcePublic]


class FacilityEventPublic(_Public):
    on: dt.date
    state: FacilityState
    note: str
    sources: list[str]
    verification: Verification


class FacilityPublic(_Public):
    id: str
    name: str
    type: str
    location: str
    latitude: float | None
    longitude: float | None
    operator: str
    history: list[FacilityEventPublic]


class FacilityListPublic(_Public):
    items: list[FacilityPublic]


class EstimatePublic(_Public):
    """A population estimate. Below the small-cell threshold the observed count
    is withheld from every role but investigators: ``observed`` is None,
    ``observed_suppressed`` true and ``observed_shown`` e.g. ``"<5"``."""

    population: str
    method: str
    as_of: dt.date | None
    estimate: int
    lower: int
    upper: int
    confidence: float
    observed: int | None
    observed_suppressed: bool
    observed_shown: str
    lists: list[str]
    simulated: bool


class EstimateListPublic(_Public):
    items: list[EstimatePublic]


class ClausePublic(_Public):
    id: str
    text: str
    covers: list[str]
    note: str


class AgreementPublic(_Public):
    """A diplomatic text: its clauses, the benchmarks they cover, and the
    catalogue's benchmarks that no clause covers."""

    id: str
    title: str
    signed_on: dt.date
    parties: list[str]
    origin: str
    mentions_human_rights: bool
    clauses: list[ClausePublic]
    covered: list[str]
    not_covered: list[str]


class AgreementListPublic(_Public):
    items: list[AgreementPublic]


# -- sanctions ---------------------------------------------------------------------
class TiedBenchmarkPublic(_Public):
    id: str
    title: str
    status: Status | None
    standard: StandardOfProof
    met: bool
    shortfall: str
    simulated: bool


class MissingPlanPublic(_Public):
    benchmark_id: str
    summary: str


class ConditionPublic(_Public):
    id: str
    statute: str
    effect: str
    text: str
    binding: bool
    readiness: str
    required: StandardOfProof
    reason: str
    benchmarks: list[TiedBenchmarkPublic]
    missing: list[MissingPlanPublic]


class EffectPublic(_Public):
    effect: str
    binding: bool
    conditions: list[ConditionPublic]


class SanctionsPublic(_Public):
    """Readiness of each sanctions condition on the latest assessment date."""

    assessed: bool
    as_of: dt.date | None
    standard: StandardOfProof | None
    counts: dict[str, int]
    effects: list[EffectPublic]


# -- people and users --------------------------------------------------------------
class PersonPublic(_Public):
    """A person as linkage found them: records' pseudonyms and lists, no name."""

    id: str
    size: int
    lists: list[str]
    pseudonyms: list[str]


class PersonPagePublic(_Public):
    items: list[PersonPublic]
    limit: int
    run_id: str | None
    next_cursor: str | None


class MePublic(_Public):
    name: str
    role: Role
    permissions: list[str]
    via: Literal["session", "token", "cli"]


class LinkDecisionCreate(BaseModel):
    """An investigator's decision on a pair of records (record ids)."""

    model_config = ConfigDict(extra="forbid")

    left: Identifier
    right: Identifier
    accept: bool
    note: str = Field(default="", max_length=2000, pattern=r"^[^\x00]*$")


class LinkDecisionPublic(_Public):
    left: str
    right: str
    accept: bool
    note: str
    decided_at: dt.datetime
    decided_by: str
