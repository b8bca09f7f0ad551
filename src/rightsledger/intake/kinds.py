"""What each kind of intake file holds: its columns, how each is parsed, and the
table row it becomes. docs/intake.md documents the same schemas, and a test
checks that the two agree; templates/ holds an example file of each kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table

from ..domain import (
    Confidentiality,
    Credibility,
    FacilityType,
    Observation,
    Origin,
    Reliability,
    SourceKind,
    Stance,
)
from ..errors import InputError
from ..store.tables import (
    FacilityRow,
    ObservationRow,
    RecordRow,
    SourceRow,
    TestimonyRow,
    WitnessRow,
)
from ..vault.crypto import FieldCipher
from . import fields as f

#: How a witness agreed their account may be used.
CONSENTS = ("identify", "anonymised", "internal-only", "withdrawn")
FATES = ("detained", "released", "dead", "transferred", "unknown")


@dataclass(frozen=True)
class Context:
    """What building a row needs besides the row: the cipher, who, when, which
    import, and the ids the ledger already knows."""

    cipher: FieldCipher
    actor: str
    at: datetime
    today: date
    import_hash: str
    origin: Origin
    sources: dict[str, str]  # id -> kind
    facilities: set[str]
    indicators: set[str]
    witnesses: set[str]


Problems = list[tuple[str, str]]  # (field, message)
Builder = Callable[[dict[str, Any], Context], dict[str, Any]]
Checker = Callable[[dict[str, Any], Context], Problems]


@dataclass(frozen=True)
class Kind:
    name: str
    table: Table
    id_field: str | None
    fields: tuple[f.Field, ...]
    build: Builder
    check: Checker
    summary: str

    @property
    def required(self) -> list[str]:
        return [x.name for x in self.fields if x.required]

    @property
    def names(self) -> set[str]:
        return {x.name for x in self.fields}


def _not_future(value: date | None, ctx: Context, field: str) -> Problems:
    if value is not None and ctx.origin is Origin.REAL and value > ctx.today:
        return [
            (field, f"{value.isoformat()} is after today ({ctx.today.isoformat()})")
        ]
    return []


def _known(value: str | None, known: Any, field: str, what: str) -> Problems:
    if value is not None and value not in known:
        return [(field, f"unknown {what} {value!r}")]
    return []


# -- sources ---------------------------------------------------------------------
def _source_row(v: dict[str, Any], ctx: Context) -> dict[str, Any]:
    return {
        "id": v["id"],
        "kind": v["kind"].value,
        "title": v["title"],
        "owner": v["owner"],
        "reliability": v["reliability"].value,
        "published_on": v.get("published_on"),
        "confidentiality": v.get("confidentiality", Confidentiality.RESTRICTED).value,
        "origin": ctx.origin.value,
        "citation": v.get("citation", ""),
    }


def _source_check(v: dict[str, Any], ctx: Context) -> Problems:
    return _not_future(v.get("published_on"), ctx, "published_on")


SOURCES = Kind(
    "sources",
    SourceRow.__table__,  # type: ignore[arg-type]
    "id",
    (
        f.Field("id", f.identifier, True, "unique id of the source"),
        f.Field("kind", f.choice(SourceKind), True, "what the source is"),
        f.Field("title", f.text(500), True, "title or short description"),
        f.Field(
            "owner",
            f.text(200),
            True,
            "who stands behind it (same owner = not independent)",
        ),
        f.Field("reliability", f.choice(Reliability), True, "Admiralty grade A-F"),
        f.Field("published_on", f.day, False, "date published or recorded"),
        f.Field(
            "confidentiality",
            f.choice(Confidentiality),
            False,
            "public, restricted (default) or confidential",
        ),
        f.Field("citation", f.text(2000), False, "full reference or URL"),
    ),
    _source_row,
    _source_check,
    "sources of evidence, graded",
)


# -- observations ----------------------------------------------------------------
def _observation_row(v: dict[str, Any], ctx: Context) -> dict[str, Any]:
    obs = Observation(
        source_id=v["source_id"],
        indicator_key=v["indicator_key"],
        observed_on=v["observed_on"],
        stance=v["stance"],
        credibility=v["credibility"],
        summary=v["summary"],
        facility_id=v.get("facility_id"),
        value=v.get("value"),
        origin=ctx.origin,
    )
    return {
        "id": obs.id,
        "source_id": obs.source_id,
        "indicator_key": obs.indicator_key,
        "facility_id": obs.facility_id,
        "observed_on": obs.observed_on,
        "stance": obs.stance.value,
        "credibility": int(obs.credibility),
        "summary": obs.summary,
        "value": obs.value,
        "status": None,
        "origin": ctx.origin.value,
        "recorded_at": ctx.at,
        "recorded_by": ctx.actor,
    }


def _observation_check(v: dict[str, Any], ctx: Context) -> Problems:
    return [
        *_known(v.get("source_id"), ctx.sources, "source_id", "source"),
        *_known(v.get("indicator_key"), ctx.indicators, "indicator_key", "indicator"),
        *_known(v.get("facility_id"), ctx.facilities, "facility_id", "facility"),
        *_not_future(v.get("observed_on"), ctx, "observed_on"),
    ]


OBSERVATIONS = Kind(
    "observations",
    ObservationRow.__table__,  # type: ignore[arg-type]
    None,
    (
        f.Field("source_id", f.identifier, True, "source that says it"),
        f.Field(
            "indicator_key",
            f.text(250),
            True,
            "indicator, as benchmark-id/indicator-id",
        ),
        f.Field("observed_on", f.day, True, "date the statement refers to"),
        f.Field(
            "stance",
            f.choice(Stance),
            True,
            "supports, contradicts, contested or baseline",
        ),
        f.Field("credibility", f.choice(Credibility), True, "1 confirmed ... 6"),
        f.Field("summary", f.text(5000), True, "what the source says"),
        f.Field("facility_id", f.identifier, False, "facility it is about"),
        f.Field("value", f.decimal, False, "a number, for count indicators"),
    ),
    _observation_row,
    _observation_check,
    "dated statements of sources about indicators",
)


# -- facilities ------------------------------------------------------------------
def _facility_row(v: dict[str, Any], _: Context) -> dict[str, Any]:
    return {
        "id": v["id"],
        "name": v["name"],
        "type": v["type"].value,
        "location": v["location"],
        "latitude": v.get("latitude"),
        "longitude": v.get("longitude"),
        "operator": v["operator"],
        "history": [],
    }


def _facility_check(v: dict[str, Any], _: Context) -> Problems:
    out: Problems = []
    lat, lon = v.get("latitude"), v.get("longitude")
    if lat is not None and not -90 <= lat <= 90:
        out.append(("latitude", f"{lat} is outside -90..90"))
    if lon is not None and not -180 <= lon <= 180:
        out.append(("longitude", f"{lon} is outside -180..180"))
    return out


FACILITIES = Kind(
    "facilities",
    FacilityRow.__table__,  # type: ignore[arg-type]
    "id",
    (
        f.Field("id", f.identifier, True, "unique id of the facility"),
        f.Field("name", f.text(300), True, "public name"),
        f.Field("type", f.choice(FacilityType), True, "kwanliso, kyohwaso, ..."),
        f.Field("location", f.text(500), True, "public location (county, province)"),
        f.Field("latitude", f.decimal, False, "WGS84, from public imagery"),
        f.Field("longitude", f.decimal, False, "WGS84"),
        f.Field("operator", f.text(300), True, "agency that runs it"),
    ),
    _facility_row,
    _facility_check,
    "places of detention (public facts)",
)


# -- person records --------------------------------------------------------------
def _record_row(v: dict[str, Any], ctx: Context) -> dict[str, Any]:
    rid = v["record_id"]
    identity = {"full_name": v["full_name"], "birth_year": v.get("birth_year")}
    return {
        "id": rid,
        "source_id": v["source_id"],
        "pseudonym": ctx.cipher.pseudonym(rid),
        "identity": ctx.cipher.encrypt(identity, context=rid),
        "sex": v.get("sex"),
        "province": v.get("province"),
        "facility_id": v.get("facility_id"),
        "year_arrested": v.get("year_arrested"),
        "seen_from": v.get("seen_from"),
        "seen_to": v.get("seen_to"),
        "fate": v.get("fate", "detained"),
        "origin": ctx.origin.value,
        "import_hash": ctx.import_hash,
    }


def _record_check(v: dict[str, Any], ctx: Context) -> Problems:
    out = [
        *_known(v.get("source_id"), ctx.sources, "source_id", "source"),
        *_known(v.get("facility_id"), ctx.facilities, "facility_id", "facility"),
        *_not_future(v.get("seen_from"), ctx, "seen_from"),
        *_not_future(v.get("seen_to"), ctx, "seen_to"),
    ]
    year = ctx.today.year
    for name in ("birth_year", "year_arrested"):
        value = v.get(name)
        if value is not None and ctx.origin is Origin.REAL and value > year:
            out.append((name, f"{value} is after this year ({year})"))
    lo, hi = v.get("seen_from"), v.get("seen_to")
    if lo is not None and hi is not None and hi < lo:
        out.append(("seen_to", f"{hi.isoformat()} is before seen_from"))
    return out


RECORDS = Kind(
    "records",
    RecordRow.__table__,  # type: ignore[arg-type]
    "record_id",
    (
        f.Field("record_id", f.identifier, True, "unique id of the record"),
        f.Field("source_id", f.identifier, True, "the list (source) it comes from"),
        f.Field(
            "full_name",
            f.text(200),
            True,
            "name as written (Hangul or romanised); encrypted",
        ),
        f.Field("sex", f.sex, False, "M or F"),
        f.Field("birth_year", f.integer(1880, 2100), False, "encrypted"),
        f.Field("province", f.text(120), False, "province or county"),
        f.Field("facility_id", f.identifier, False, "facility held in"),
        f.Field("year_arrested", f.integer(1945, 2100), False, "year of arrest"),
        f.Field("seen_from", f.day, False, "first date the list places them there"),
        f.Field("seen_to", f.day, False, "last such date"),
        f.Field("fate", f.one_of(*FATES), False, "detained (default), released, ..."),
    ),
    _record_row,
    _record_check,
    "one row per person on a list; name and birth year encrypted",
)


# -- witnesses and testimonies ---------------------------------------------------
_WITNESS_SECRET = ("full_name", "birth_year", "contact", "residence", "notes")


def _witness_row(v: dict[str, Any], ctx: Context) -> dict[str, Any]:
    wid = v["witness_id"]
    identity = {k: v.get(k) for k in _WITNESS_SECRET}
    identity["family_inside"] = v.get("family_inside")
    return {
        "id": wid,
        "pseudonym": ctx.cipher.pseudonym(f"witness:{wid}"),
        "identity": ctx.cipher.encrypt(identity, context=f"witness:{wid}"),
        "consent": v["consent"],
        "origin": ctx.origin.value,
        "import_hash": ctx.import_hash,
    }


def _no_check(_v: dict[str, Any], _ctx: Context) -> Problems:
    return []


WITNESSES = Kind(
    "witnesses",
    WitnessRow.__table__,  # type: ignore[arg-type]
    "witness_id",
    (
        f.Field("witness_id", f.identifier, True, "unique id of the witness"),
        f.Field("full_name", f.text(200), True, "encrypted"),
        f.Field(
            "consent",
            f.one_of(*CONSENTS),
            True,
            "identify, anonymised, internal-only or withdrawn",
        ),
        f.Field("birth_year", f.integer(1880, 2100), False, "encrypted"),
        f.Field("contact", f.text(500), False, "encrypted"),
        f.Field("residence", f.text(200), False, "encrypted"),
        f.Field(
            "family_inside", f.yes_no, False, "family still in the country (encrypted)"
        ),
        f.Field("notes", f.text(5000), False, "encrypted"),
    ),
    _witness_row,
    _no_check,
    "people who gave testimony; every identifying field encrypted",
)


def _testimony_row(v: dict[str, Any], ctx: Context) -> dict[str, Any]:
    tid = v["testimony_id"]
    return {
        "id": tid,
        "source_id": v["source_id"],
        "witness_id": v.get("witness_id"),
        "recorded_on": v.get("recorded_on"),
        "language": v.get("language", "ko"),
        "text": ctx.cipher.encrypt_text(v["text"], context=f"testimony:{tid}"),
        "origin": ctx.origin.value,
        "import_hash": ctx.import_hash,
    }


def _testimony_check(v: dict[str, Any], ctx: Context) -> Problems:
    out = [
        *_known(v.get("source_id"), ctx.sources, "source_id", "source"),
        *_known(v.get("witness_id"), ctx.witnesses, "witness_id", "witness"),
        *_not_future(v.get("recorded_on"), ctx, "recorded_on"),
    ]
    kind = ctx.sources.get(v.get("source_id", ""))
    if kind is not None and kind != SourceKind.TESTIMONY.value:
        out.append(("source_id", f"source is a {kind}, not a testimony"))
    return out


TESTIMONIES = Kind(
    "testimonies",
    TestimonyRow.__table__,  # type: ignore[arg-type]
    "testimony_id",
    (
        f.Field("testimony_id", f.identifier, True, "unique id"),
        f.Field("source_id", f.identifier, True, "its source (kind testimony)"),
        f.Field("text", f.text(1_000_000), True, "the account; encrypted"),
        f.Field("witness_id", f.identifier, False, "who gave it"),
        f.Field("recorded_on", f.day, False, "date of the interview"),
        f.Field("language", f.text(20), False, "language code, default ko"),
    ),
    _testimony_row,
    _testimony_check,
    "what witnesses said; text encrypted",
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (SOURCES, OBSERVATIONS, FACILITIES, RECORDS, WITNESSES, TESTIMONIES)
}


def intake_kind(name: str) -> Kind:
    """The schema of one kind of intake file.

    Raises:
        InputError: no such kind.
    """
    if name not in KINDS:
        raise InputError(
            f"unknown kind {name!r}; one of: {', '.join(KINDS)}", field="kind"
        )
    return KINDS[name]
