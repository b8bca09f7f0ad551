"""What each kind of intake file holds: its columns, how each is parsed, and the
table row it becomes. docs/intake.md documents the same schemas, and a test
checks that the two agree; templates/ holds an example file of each kind."""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from json.encoder import encode_basestring
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

    @cached_property
    def origin_value(self) -> str:
        """``origin.value``, looked up once (it goes into every row)."""
        return self.origin.value


Problems = list[tuple[str, str]]  # (field, message)
Builder = Callable[[dict[str, Any], Context], dict[str, Any]]
Checker = Callable[[dict[str, Any], Context], Problems]


@dataclass(frozen=True)
class Kind:
    """One kind of intake file: its fields in order, the table its rows land in,
    the field that holds a row's id (None: the id is the hash of the content, and
    a repeated row is the same fact), and how a parsed row is checked and built.
    ``known`` gives the ids the ledger held when the import began, for kinds
    whose table does not record which import wrote a row."""

    name: str
    table: Table
    id_field: str | None
    fields: tuple[f.Field, ...]
    build: Builder
    check: Checker
    summary: str
    known: Callable[[Context], Container[str]] | None = None

    @cached_property
    def required(self) -> list[str]:
        return [x.name for x in self.fields if x.required]

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(x.name for x in self.fields)

    @cached_property
    def plan(self) -> tuple[tuple[str, f.Parser, bool], ...]:
        """(name, parser, required) of every field: what the row loop reads."""
        return tuple((x.name, x.parse, x.required) for x in self.fields)


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
        "origin": ctx.origin_value,
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
        f.Field(
            "reliability",
            f.choice(Reliability),
            True,
            "Admiralty grade: A completely reliable ... F cannot be judged",
        ),
        f.Field("published_on", f.day, False, "date published or recorded"),
        f.Field(
            "confidentiality",
            f.choice(Confidentiality),
            False,
            "who may see its content; default restricted",
        ),
        f.Field("citation", f.text(2000), False, "full reference or URL"),
    ),
    _source_row,
    _source_check,
    "sources of evidence, graded",
    lambda ctx: ctx.sources,
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
        "origin": ctx.origin_value,
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
            "for or against the indicator's target; baseline: the state before",
        ),
        f.Field(
            "credibility",
            f.choice(Credibility),
            True,
            "1 confirmed, 2 probably true, ... 6 cannot be judged",
        ),
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
        f.Field("type", f.choice(FacilityType), True, "kind of facility"),
        f.Field("location", f.text(500), True, "public location (county, province)"),
        f.Field("latitude", f.decimal, False, "WGS84, from public imagery"),
        f.Field("longitude", f.decimal, False, "WGS84"),
        f.Field("operator", f.text(300), True, "agency that runs it"),
    ),
    _facility_row,
    _facility_check,
    "places of detention (public facts)",
    lambda ctx: ctx.facilities,
)


# -- person records --------------------------------------------------------------
def record_identity(full_name: str, birth_year: int | None) -> str:
    """The identity fields of a record as the JSON text that
    :meth:`FieldCipher.encrypt` would encrypt (``json.dumps`` with sorted keys,
    not ASCII-escaped), built directly: this runs once per record of a
    million-row list, and ``json.dumps`` with options costs more than the
    encryption itself."""
    year = "null" if birth_year is None else str(int(birth_year))
    return f'{{"birth_year": {year}, "full_name": {encode_basestring(full_name)}}}'


def _record_row(v: dict[str, Any], ctx: Context) -> dict[str, Any]:
    rid = v["record_id"]
    get = v.get
    identity = record_identity(v["full_name"], get("birth_year"))
    return {
        "id": rid,
        "source_id": v["source_id"],
        "pseudonym": ctx.cipher.pseudonym(rid),
        # the same ciphertext layout as encrypt(); decrypt() reads it back
        "identity": ctx.cipher.encrypt_text(identity, context=rid),
        "sex": get("sex"),
        "province": get("province"),
        "facility_id": get("facility_id"),
        "year_arrested": get("year_arrested"),
        "seen_from": get("seen_from"),
        "seen_to": get("seen_to"),
        "fate": get("fate", "detained"),
        "origin": ctx.origin_value,
        "import_hash": ctx.import_hash,
    }


def _record_check(v: dict[str, Any], ctx: Context) -> Problems:
    """Written for the common case (nothing wrong) to cost a few lookups."""
    get = v.get
    out: Problems = []
    if v["source_id"] not in ctx.sources:
        out += _known(v["source_id"], ctx.sources, "source_id", "source")
    facility = get("facility_id")
    if facility is not None and facility not in ctx.facilities:
        out += _known(facility, ctx.facilities, "facility_id", "facility")
    lo, hi = get("seen_from"), get("seen_to")
    if ctx.origin is Origin.REAL:
        out += _not_future(lo, ctx, "seen_from") + _not_future(hi, ctx, "seen_to")
        year = ctx.today.year
        for name in ("birth_year", "year_arrested"):
            value = get(name)
            if value is not None and value > year:
                out.append((name, f"{value} is after this year ({year})"))
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
        f.Field("sex", f.sex, False, "sex, as the list gives it"),
        f.Field("birth_year", f.integer(1880, 2100), False, "year of birth; encrypted"),
        f.Field("province", f.text(120), False, "province or county"),
        f.Field("facility_id", f.identifier, False, "facility held in"),
        f.Field("year_arrested", f.integer(1945, 2100), False, "year of arrest"),
        f.Field("seen_from", f.day, False, "first date the list places them there"),
        f.Field("seen_to", f.day, False, "last date the list places them there"),
        f.Field(
            "fate", f.one_of(*FATES), False, "what became of them; default detained"
        ),
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
        "origin": ctx.origin_value,
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
        f.Field("full_name", f.text(200), True, "name of the witness; encrypted"),
        f.Field(
            "consent",
            f.one_of(*CONSENTS),
            True,
            "how the witness agreed their account may be used",
        ),
        f.Field("birth_year", f.integer(1880, 2100), False, "year of birth; encrypted"),
        f.Field("contact", f.text(500), False, "how to reach them; encrypted"),
        f.Field("residence", f.text(200), False, "where they live now; encrypted"),
        f.Field(
            "family_inside", f.yes_no, False, "family still in the country; encrypted"
        ),
        f.Field("notes", f.text(5000), False, "anything else about them; encrypted"),
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
        "origin": ctx.origin_value,
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
        f.Field("testimony_id", f.identifier, True, "unique id of the testimony"),
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
