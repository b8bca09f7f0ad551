"""Closed vocabularies of the ledger, as string enums.

Every value here is what is stored in the database and written in YAML, so the
values are stable identifiers: rename a member only with a migration.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Status(StrEnum):
    """Status of an indicator or a benchmark on a date (DESIGN.md, "Assessment")."""

    NO_PROGRESS = "no-progress"
    CLAIMED = "claimed"
    PARTIAL = "partial"
    VERIFIED = "verified"
    CONTESTED = "contested"
    REGRESSED = "regressed"


class StandardOfProof(StrEnum):
    """Standards of proof, weakest first.

    ``reasonable-grounds`` is the standard the 2014 Commission of Inquiry used.
    """

    NONE = "none"
    ALLEGATION = "allegation"
    REASONABLE_GROUNDS = "reasonable-grounds"
    CLEAR_AND_CONVINCING = "clear-and-convincing"

    @property
    def rank(self) -> int:
        return _STANDARD_ORDER.index(self)


_STANDARD_ORDER = list(StandardOfProof)


class Reliability(StrEnum):
    """Reliability grade of a source (Admiralty scale: A completely reliable ... F
    cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"

    def at_least(self, other: Reliability) -> bool:
        """True when this grade is as good as ``other`` or better (A beats B)."""
        return self.value <= other.value


class Credibility(IntEnum):
    """Credibility of one piece of information (1 confirmed ... 6 cannot be judged)."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6

    def at_least(self, other: Credibility) -> bool:
        """True when this grade is as credible as ``other`` or more (1 beats 2)."""
        return self.value <= other.value


class SourceKind(StrEnum):
    """Where information comes from."""

    TESTIMONY = "testimony"
    NGO_LIST = "ngo-list"
    NGO_REPORT = "ngo-report"
    UN_REPORT = "un-report"
    STATE_CLAIM = "state-claim"
    IMAGERY_ANALYSIS = "imagery-analysis"
    ICRC_STATEMENT = "icrc-statement"
    MEDIA = "media"
    LEGAL_TEXT = "legal-text"
    RESEARCH = "research"


#: Source kinds that count as an independent monitor (ICRC, UN bodies).
MONITOR_KINDS = frozenset({SourceKind.ICRC_STATEMENT, SourceKind.UN_REPORT})
#: Source kinds that count as physical evidence.
PHYSICAL_KINDS = frozenset({SourceKind.IMAGERY_ANALYSIS})


class Confidentiality(StrEnum):
    """Who may see a source's content."""

    PUBLIC = "public"
    RESTRICTED = "restricted"
    CONFIDENTIAL = "confidential"

    @property
    def is_public(self) -> bool:
        return self is Confidentiality.PUBLIC


class Stance(StrEnum):
    """Whether an observation supports or contradicts the indicator's target."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    BASELINE = "baseline"


class Origin(StrEnum):
    """Whether a fact is real and sourced or comes from a simulated scenario."""

    REAL = "real"
    SIMULATED = "simulated"


class IndicatorKind(StrEnum):
    EVENT = "event"
    COUNT = "count"
    ACCESS = "access"
    ESTIMATE = "estimate"
    LEGAL = "legal"


class FacilityType(StrEnum):
    KWANLISO = "kwanliso"
    KYOHWASO = "kyohwaso"
    KYOYANGSO = "kyoyangso"
    JIPKYULSO = "jipkyulso"
    RODONG_DANRYEONDAE = "rodong-danryeondae"
    KURYUJANG = "kuryujang"
    OTHER = "other"


class FacilityState(StrEnum):
    OPERATING = "operating"
    CLOSED = "closed"
    CONTESTED = "contested"
    UNKNOWN = "unknown"


class Role(StrEnum):
    ADMIN = "admin"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    VIEWER = "viewer"


class Verification(StrEnum):
    """How a catalogue fact was checked (nk-facts.md tags)."""

    PRIMARY = "V"
    SECONDARY = "S"
    UNCONFIRMED = "U"
