"""Pydantic models of the catalogue files (the validation boundary).

Each model mirrors one mapping of a YAML file, forbids unknown keys and turns
itself into the frozen domain value with ``to_domain``. Text fields are strict
(YAML ``yes``/``no`` arrive as booleans and are refused, not coerced), enum
fields accept only their listed values, and dates accept a YAML date or an ISO
``YYYY-MM-DD`` string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)
from pydantic_core import PydanticCustomError

from rightsledger.domain import (
    Agreement,
    Baseline,
    Benchmark,
    CitationSource,
    Clause,
    Credibility,
    Facility,
    FacilityEvent,
    FacilityState,
    FacilityType,
    Indicator,
    IndicatorKind,
    Reliability,
    SanctionsCondition,
    SourceKind,
    StandardOfProof,
    Status,
    Verification,
    VerificationRule,
)

E = TypeVar("E", bound=Enum)

_VERIFICATION_RE = re.compile(r"^[VSU](/[VSU])*$")


def _choice(enum_cls: type[E]) -> Callable[[Any], E]:
    """A before-validator accepting only the values of ``enum_cls``."""
    values = [str(m.value) for m in enum_cls]

    def check(value: Any) -> E:
        if not isinstance(value, bool):
            for member in enum_cls:
                if value == member.value or (
                    isinstance(value, str) and value == str(member.value)
                ):
                    return member
        raise PydanticCustomError(
            "bad_choice",
            "{value} is not one of {choices}",
            {"value": repr(value), "choices": ", ".join(values)},
        )

    return check


def _to_date(value: Any) -> date:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string; refuse the rest."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "bad_date",
        "{value} is not a date (write YYYY-MM-DD)",
        {"value": repr(value)},
    )


def _verification_text(value: Any) -> str:
    if isinstance(value, str) and _VERIFICATION_RE.match(value):
        return value
    raise PydanticCustomError(
        "bad_verification",
        "{value} is not a verification tag (V, S or U, or a combination like S/U)",
        {"value": repr(value)},
    )


IsoDate = Annotated[date, BeforeValidator(_to_date)]
Slug = Annotated[StrictStr, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Key = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$")]
Text = Annotated[StrictStr, Field(min_length=1)]
ReliabilityField = Annotated[Reliability, BeforeValidator(_choice(Reliability))]
CredibilityField = Annotated[Credibility, BeforeValidator(_choice(Credibility))]
SourceKindField = Annotated[SourceKind, BeforeValidator(_choice(SourceKind))]
StandardField = Annotated[StandardOfProof, BeforeValidator(_choice(StandardOfProof))]
IndicatorKindField = Annotated[IndicatorKind, BeforeValidator(_choice(IndicatorKind))]
StatusField = Annotated[Status, BeforeValidator(_choice(Status))]
FacilityTypeField = Annotated[FacilityType, BeforeValidator(_choice(FacilityType))]
FacilityStateField = Annotated[FacilityState, BeforeValidator(_choice(FacilityState))]
VerificationField = Annotated[Verification, BeforeValidator(_choice(Verification))]
VerificationText = Annotated[str, BeforeValidator(_verification_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogueInfo(_Model):
    """``catalogue.yaml``: what this catalogue is."""

    name: Text
    country: Text
    description: StrictStr = ""
    version: Text
    as_of: IsoDate


class SourceModel(_Model):
    """One entry of ``sources.yaml``."""

    key: Key
    title: Text
    where: StrictStr = ""
    kind: SourceKindField
    owner: Text
    reliability: ReliabilityField

    def to_domain(self) -> CitationSource:
        return CitationSource(
            key=self.key,
            title=self.title,
            where=self.where,
            kind=self.kind,
            owner=self.owner,
            reliability=self.reliability,
        )


class RuleModel(_Model):
    """The ``rule`` of an indicator (see ``VerificationRule``)."""

    source_kinds: list[SourceKindField] = Field(default_factory=list)
    min_independent: Annotated[StrictInt, Field(ge=1, le=20)]
    min_reliability: ReliabilityField
    min_credibility: CredibilityField
    requires_monitor: StrictBool = False
    requires_physical: StrictBool = False
    standard: StandardField
    population: Slug | None = None
    max_upper: Annotated[StrictFloat, Field(ge=0)] | None = None

    def to_domain(self) -> VerificationRule:
        return VerificationRule(
            source_kinds=tuple(self.source_kinds),
            min_independent=self.min_independent,
            min_reliability=self.min_reliability,
            min_credibility=self.min_credibility,
            requires_monitor=self.requires_monitor,
            requires_physical=self.requires_physical,
            standard=self.standard,
            population=self.population,
            max_upper=self.max_upper,
        )


class IndicatorModel(_Model):
    id: Slug
    kind: IndicatorKindField
    target: Text
    verify: StrictStr = ""
    rule: RuleModel

    def to_domain(self, benchmark_id: str) -> Indicator:
        return Indicator(
            id=self.id,
            benchmark_id=benchmark_id,
            kind=self.kind,
            target=self.target,
            verify=self.verify,
            rule=self.rule.to_domain(),
        )


class BaselineModel(_Model):
    status: StatusField
    as_of: IsoDate
    summary: Text
    sources: list[Key] = Field(min_length=1)

    def to_domain(self) -> Baseline:
        return Baseline(self.status, self.as_of, self.summary, tuple(self.sources))


class BenchmarkModel(_Model):
    """One entry of ``benchmarks.yaml``."""

    id: Slug
    title: Text
    title_ko: StrictStr = ""
    statement: Text
    indicators: list[IndicatorModel] = Field(min_length=1)
    demanded_by: list[Text] = Field(min_length=1)
    baseline: BaselineModel

    def to_domain(self) -> Benchmark:
        return Benchmark(
            id=self.id,
            title=self.title,
            statement=self.statement,
            indicators=tuple(i.to_domain(self.id) for i in self.indicators),
            demanded_by=tuple(self.demanded_by),
            baseline=self.baseline.to_domain(),
            title_ko=self.title_ko,
        )


class EventModel(_Model):
    on: IsoDate
    state: FacilityStateField
    note: Text
    sources: list[Key] = Field(min_length=1)
    verification: VerificationField = Verification.SECONDARY

    def to_domain(self) -> FacilityEvent:
        return FacilityEvent(
            self.on, self.state, self.note, tuple(self.sources), self.verification
        )


class FacilityModel(_Model):
    """One entry of ``facilities.yaml``."""

    id: Slug
    name: Text
    type: FacilityTypeField
    location: Text
    latitude: Annotated[StrictFloat, Field(ge=-90, le=90)] | None
    longitude: Annotated[StrictFloat, Field(ge=-180, le=180)] | None
    operator: Text
    population_note: StrictStr = ""
    sources: list[Key] = Field(default_factory=list)
    history: list[EventModel] = Field(min_length=1)

    def to_domain(self) -> Facility:
        return Facility(
            id=self.id,
            name=self.name,
            type=self.type,
            location=self.location,
            latitude=self.latitude,
            longitude=self.longitude,
            operator=self.operator,
            history=tuple(e.to_domain() for e in self.history),
            population_note=self.population_note,
            sources=tuple(self.sources),
        )


class ClauseModel(_Model):
    id: Slug
    text: Text
    covers: list[Slug] = Field(default_factory=list)
    note: StrictStr = ""

    def to_domain(self) -> Clause:
        return Clause(self.id, self.text, tuple(self.covers), self.note)


class AgreementModel(_Model):
    """One entry of ``agreements.yaml``."""

    id: Slug
    title: Text
    signed_on: IsoDate
    parties: list[Text] = Field(min_length=1)
    mentions_human_rights: StrictBool
    verification: VerificationText
    sources: list[Key] = Field(default_factory=list)
    clauses: list[ClauseModel] = Field(default_factory=list)
    note: StrictStr = ""

    def to_domain(self) -> Agreement:
        return Agreement(
            id=self.id,
            title=self.title,
            signed_on=self.signed_on,
            parties=tuple(self.parties),
            mentions_human_rights=self.mentions_human_rights,
            verification=self.verification,
            sources=tuple(self.sources),
            clauses=tuple(c.to_domain() for c in self.clauses),
            note=self.note,
        )


class ConditionModel(_Model):
    """One entry of ``conditions.yaml``."""

    id: Key
    statute: Text
    effect: Text
    text: Text
    benchmarks: list[Slug] = Field(default_factory=list)
    binding: StrictBool = True

    def to_domain(self) -> SanctionsCondition:
        return SanctionsCondition(
            self.id,
            self.statute,
            self.effect,
            self.text,
            tuple(self.benchmarks),
            self.binding,
        )


#: Every key any model accepts (for "did you mean" hints on unknown keys).
KNOWN_KEYS: frozenset[str] = frozenset(
    name
    for model in (
        CatalogueInfo,
        SourceModel,
        RuleModel,
        IndicatorModel,
        BaselineModel,
        BenchmarkModel,
        EventModel,
        FacilityModel,
        ClauseModel,
        AgreementModel,
        ConditionModel,
    )
    for name in model.model_fields
)
