"""Documentation lists: who each list sees, and how it writes them down.

Each person has a latent visibility ``z`` (normal); list ``j`` captures a person
detained during its window with probability ``expit(logit(p_j) + sd * z)``. The two
dependent lists share a second latent term ``u`` (shared informants), which makes
their overlap larger than independence predicts.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rightsledger.domain import PersonRecord
from rightsledger.names import Joiner, KoreanName, Script, Style, spell

from .config import ListSpec, ScenarioConfig
from .truth import EventKind, RecordTruth, Stay, TruePerson

__all__ = ["ListedRecords", "capture_lists", "list_window"]

_SCRIPTS = (Script.HANGUL, Script.RR, Script.MR, Script.MR_PLAIN)


@dataclass(frozen=True)
class ListedRecords:
    """The records of all lists and their answer key."""

    records: tuple[PersonRecord, ...]
    truth: tuple[RecordTruth, ...]


def list_window(spec: ListSpec, config: ScenarioConfig) -> tuple[date, date]:
    """First and last day a list observes."""
    opens = config.deal_signed if spec.from_deal else config.start
    if spec.years is None:
        return opens, config.end
    closes = opens.replace(year=opens.year + spec.years) - timedelta(days=1)
    return opens, min(closes, config.end)


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _seen_stay(person: TruePerson, window: tuple[date, date]) -> Stay | None:
    """The latest stay that overlaps the window."""
    opens, closes = window
    overlapping = [
        s
        for s in person.stays
        if s.start <= closes and (s.end is None or s.end >= opens)
    ]
    return overlapping[-1] if overlapping else None


def _style(rng: random.Random, c: ScenarioConfig) -> Style:
    script = rng.choices(_SCRIPTS, weights=c.script_weights)[0]
    roman = script is not Script.HANGUL
    return Style(
        script=script,
        family_last=roman and rng.random() < c.family_last_rate,
        joiner=rng.choice(tuple(Joiner)),
        north=rng.random() < c.north_form_rate,
        conventional=roman and rng.random() < c.conventional_family_rate,
        spaced=rng.random() < 0.3,
    )


def _birth_year(
    rng: random.Random, c: ScenarioConfig, true: int
) -> tuple[int | None, str]:
    u = rng.random()
    if u < c.missing_birth_year_rate:
        return None, "missing"
    if u < c.missing_birth_year_rate + c.birth_year_error_rate:
        return true + rng.choice((-1, 1)), "off-by-one"
    return true, "exact"


def _seen(
    rng: random.Random, c: ScenarioConfig, stay: Stay, window: tuple[date, date]
) -> tuple[date, date, str]:
    """Seen-from, seen-to and fate of one sighting inside stay and window."""
    lo = max(stay.start, window[0])
    hi = min(stay.end or window[1], window[1])
    days = (hi - lo).days
    a, b = sorted((rng.randint(0, days), rng.randint(0, days)))
    fate = "detained"
    ends_inside = stay.end is not None and stay.end <= window[1]
    known = ends_inside and stay.end_reason is not EventKind.TRANSFER
    if known and rng.random() < c.fate_known_rate:
        b = days
        fate = "dead" if stay.end_reason is EventKind.DEATH else "released"
    return lo + timedelta(days=a), lo + timedelta(days=b), fate


def _record(
    rng: random.Random,
    c: ScenarioConfig,
    person: TruePerson,
    stay: Stay,
    spec: ListSpec,
) -> tuple[PersonRecord, RecordTruth]:
    style = _style(rng, c)
    name = spell(KoreanName(person.name[0], person.name[1:]), style)
    birth_year, noise = _birth_year(rng, c, person.birth_year)
    seen_from, seen_to, fate = _seen(rng, c, stay, list_window(spec, c))
    record = PersonRecord(
        record_id="",
        source_id=spec.source_id,
        full_name=name,
        sex=person.sex,
        birth_year=birth_year,
        province=None if rng.random() < c.missing_province_rate else person.province,
        facility_id=None
        if rng.random() < c.missing_facility_rate
        else stay.facility_id,
        year_arrested=person.arrested_on.year,
        seen_from=seen_from,
        seen_to=seen_to,
        fate=fate,
    )
    meta = RecordTruth(
        "", person.id, style.script.value, style.family_last, style.north,
        style.conventional, noise,
    )  # fmt: skip
    return record, meta


def capture_lists(
    persons: tuple[TruePerson, ...], config: ScenarioConfig, rng: random.Random
) -> ListedRecords:
    """Draw every list's records from the true persons.

    Args:
        persons: the true detainees.
        config: the scenario parameters.
        rng: the random source, seeded by the caller.

    Returns:
        Records (ids ``<source id>-00001`` ..., in shuffled order per list) and
        their answer key.
    """
    visibility = [rng.gauss(0.0, 1.0) for _ in persons]
    shared = [rng.gauss(0.0, 1.0) for _ in persons]
    records: list[PersonRecord] = []
    truth: list[RecordTruth] = []
    for j, spec in enumerate(config.lists):
        base = _logit(config.capture_probabilities[j])
        dependent = j in config.dependent_lists
        window = list_window(spec, config)
        drawn: list[tuple[PersonRecord, RecordTruth]] = []
        for person, z, u in zip(persons, visibility, shared, strict=True):
            stay = _seen_stay(person, window)
            if stay is None:
                continue
            x = (
                base
                + config.visibility_sd * z
                + (config.dependence_sd * u if dependent else 0)
            )
            if rng.random() < _expit(x):
                drawn.append(_record(rng, config, person, stay, spec))
        rng.shuffle(drawn)
        for k, (record, meta) in enumerate(drawn, start=1):
            rid = f"{spec.source_id}-{k:05d}"
            records.append(replace(record, record_id=rid))
            truth.append(replace(meta, record_id=rid))
    return ListedRecords(tuple(records), tuple(truth))
