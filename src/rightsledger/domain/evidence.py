"""Evidence held in the ledger: sources, observations and person-level records."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from .enums import Confidentiality, Credibility, Origin, Reliability, SourceKind, Stance


@dataclass(frozen=True, slots=True)
class Source:
    """Where information comes from, with its grade and its owner.

    Two sources with the same ``owner`` are not independent of each other (a state
    and its media are one owner).
    """

    id: str
    kind: SourceKind
    title: str
    owner: str
    reliability: Reliability
    published_on: date | None
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    origin: Origin = Origin.REAL
    citation: str = ""


@dataclass(frozen=True, slots=True)
class Observation:
    """One dated statement of a source about an indicator (or a facility).

    ``value`` carries a number for count indicators; ``status`` is set only on
    baseline observations, which restate the catalogue's sourced status.
    """

    source_id: str
    indicator_key: str
    observed_on: date
    stance: Stance
    credibility: Credibility
    summary: str
    facility_id: str | None = None
    value: float | None = None
    status: str | None = None
    origin: Origin = Origin.REAL
    _id: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        """Content hash: the same statement from the same source has one id.

        Computed on first use and kept (the value is frozen, so it cannot change).
        """
        oid = self._id
        if oid is None:
            oid = self._content_hash()
            object.__setattr__(self, "_id", oid)
        return oid

    def _content_hash(self) -> str:
        payload = {
            "source": self.source_id,
            "indicator": self.indicator_key,
            "on": self.observed_on.isoformat(),
            "stance": self.stance.value,
            "credibility": int(self.credibility),
            "summary": self.summary,
            "facility": self.facility_id,
            "value": self.value,
            "status": self.status,
        }
        raw = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(raw).hexdigest()


def with_stored_id(observation: Observation, stored_id: str) -> Observation:
    """``observation`` with its id already known, so it is not hashed again.

    For the store only: ``stored_id`` must be the content hash written with the
    same content (the observations table's primary key is exactly that).
    """
    object.__setattr__(observation, "_id", stored_id)
    return observation


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One row of a list source: a person seen as detained (or dead) by that source.

    ``full_name`` and ``birth_year`` identify a person; the store encrypts them.
    """

    record_id: str
    source_id: str
    full_name: str
    sex: str | None
    birth_year: int | None
    province: str | None
    facility_id: str | None
    year_arrested: int | None
    seen_from: date | None = None
    seen_to: date | None = None
    fate: str = "detained"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file in the evidence vault attached to a source, with its intake record
    (the Berkeley Protocol's minimum: who collected it, when, how, the original
    name, size, media type and the SHA-256 taken at intake)."""

    source_id: str
    sha256: str
    size: int
    media_type: str
    original_name: str
    collected_by: str
    collected_on: date | None
    method: str
