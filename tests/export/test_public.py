"""The public export: aggregates only, nobody identifiable, dates coarse, stable.

The privacy tests try to expose a person: they export random synthetic records and
search every written file for every name, record id, birth year, province,
sighting date, non-public source id and observation summary.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import string
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightsledger.catalogue import default_catalogue_path, load_catalogue
from rightsledger.domain import (
    BenchmarkAssessment,
    Confidentiality,
    Credibility,
    EstimateResult,
    Observation,
    Origin,
    PersonRecord,
    Reliability,
    Source,
    SourceKind,
    Stance,
    StandardOfProof,
    Status,
)
from rightsledger.errors import InputError
from rightsledger.export import ExportSummary, coarsen, write_public_export
from rightsledger.names.synthetic import random_name

from .test_suppression import attack

CATALOGUE = load_catalogue(default_catalogue_path())
FACILITIES = [f.id for f in CATALOGUE.facilities]
INDICATORS = [i.key for i in CATALOGUE.indicators()]
GENERATED = date(2026, 11, 27)
RECORD_TABLES = (
    "records_by_list_and_year",
    "records_by_facility_and_fate",
    "records_by_list_and_sex",
)


def _source(sid: str, confidentiality: Confidentiality, kind=SourceKind.NGO_LIST):
    return Source(
        id=sid,
        kind=kind,
        title=f"Title of {sid}",
        owner="an owner",
        reliability=Reliability.B,
        published_on=None,
        confidentiality=confidentiality,
    )


PUBLIC_LISTS = ("pub-list-a", "pub-list-b")
PUBLIC = {s: _source(s, Confidentiality.PUBLIC) for s in PUBLIC_LISTS}


def _export(out: Path, **given_args) -> tuple[ExportSummary, dict[str, str]]:
    args = {
        "catalogue": CATALOGUE,
        "sources": dict(PUBLIC),
        "observations": [],
        "records": [],
        "assessments": {},
        "estimates": [],
        "generated_on": GENERATED,
        **given_args,
    }
    summary = write_public_export(out, **args)
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}
    return summary, texts


def _standalone(value: str, text: str) -> bool:
    """Whether ``value`` occurs in ``text`` not glued to letters or digits."""
    pattern = rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])"
    return re.search(pattern, text) is not None


def _tokens(texts: dict[str, str]) -> set[str]:
    return {t for text in texts.values() for t in re.findall(r"[0-9A-Za-z]+", text)}


with tempfile.TemporaryDirectory() as _empty:
    BASELINE = _tokens(_export(Path(_empty) / "x")[1])

letters = st.text(alphabet=string.ascii_letters, min_size=7, max_size=12)
hidden_id = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=10)


@st.composite
def people(draw):
    """Random synthetic records on public and non-public lists, with sources,
    and observations (with summaries) of public and non-public sources."""
    rng = draw(st.randoms(use_true_random=False))
    secret_ids = draw(st.lists(hidden_id, min_size=1, max_size=2, unique=True))
    secret = {
        s: _source(s, draw(st.sampled_from(list(Confidentiality)[1:])))
        for s in secret_ids
    }
    lists = [*PUBLIC_LISTS, *secret_ids]
    records = []
    for n in range(draw(st.integers(0, 30))):
        sex = draw(st.sampled_from(["M", "F", None]))
        hangul = draw(st.booleans())
        seen = date(1980, 1, 1) + timedelta(days=draw(st.integers(0, 14000)))
        records.append(
            PersonRecord(
                record_id=f"rec{n}x{draw(hidden_id)}",
                source_id=draw(st.sampled_from(lists)),
                full_name=(
                    random_name(rng, sex or "M").hangul if hangul else draw(letters)
                ),
                sex=sex,
                birth_year=draw(st.integers(1900, 1939)),
                province=draw(letters),
                facility_id=draw(st.sampled_from([*FACILITIES[:4], None])),
                year_arrested=draw(st.one_of(st.none(), st.integers(1995, 1999))),
                seen_from=seen,
                seen_to=seen + timedelta(days=draw(st.integers(1, 900))),
                fate=draw(st.sampled_from(["detained", "released", "dead", "other"])),
            )
        )
    observations = [
        Observation(
            source_id=draw(st.sampled_from([*PUBLIC_LISTS, *secret_ids])),
            indicator_key=draw(st.sampled_from(INDICATORS)),
            observed_on=date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 2000))),
            stance=draw(st.sampled_from(list(Stance))),
            credibility=Credibility.PROBABLY_TRUE,
            summary=f"witness {draw(letters)} said so",
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    return records, {**PUBLIC, **secret}, observations


def _identifying(records, sources, observations) -> set[str]:
    values: set[str] = set()
    for r in records:
        values |= {r.record_id, r.full_name, r.province or "", str(r.birth_year)}
        values |= {d.isoformat() for d in (r.seen_from, r.seen_to) if d}
    values |= {s for s in sources if s not in PUBLIC}
    values |= {o.summary for o in observations}
    values |= {w for o in observations for w in o.summary.split()[1:2]}
    return {v for v in values if v}


def _scrubbed(records, sources, observations):
    """The same data with every identifying value replaced by a constant: non-
    public source ids by a placeholder of the same rank, names, ids, birth
    years, provinces, sighting dates and summaries by nothing."""
    secret = sorted(s for s in sources if s not in PUBLIC)
    rename = {s: f"hidden{n:03d}" for n, s in enumerate(secret)}
    rename.update({s: s for s in PUBLIC})
    records = [
        replace(
            r,
            record_id=f"r{n}",
            source_id=rename[r.source_id],
            full_name="",
            birth_year=None,
            province=None,
            seen_from=None,
            seen_to=None,
        )
        for n, r in enumerate(records)
    ]
    sources = {rename[s]: replace(src, id=rename[s]) for s, src in sources.items()}
    observations = [
        replace(o, source_id=rename[o.source_id], summary="") for o in observations
    ]
    return records, sources, observations


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=people())
def test_the_export_never_contains_an_identifying_value(data):
    records, sources, observations = data
    clean = _scrubbed(records, sources, observations)
    with tempfile.TemporaryDirectory() as tmp:
        summary, texts = _export(
            Path(tmp) / "public",
            records=iter(records),
            sources=sources,
            observations=observations,
        )
        _, scrubbed = _export(
            Path(tmp) / "scrubbed",
            records=clean[0],
            sources=clean[1],
            observations=clean[2],
        )
    assert summary.records == len(records)
    everything = "\n".join(texts.values())
    assert re.search(r"[\uac00-\ud7a3]", everything) is None  # no Hangul at all
    # a value is a leak when the export shows it and the export of the scrubbed
    # data does not (so "detained" as a random name is not a leak, but a name is)
    allowed = _tokens(scrubbed)
    leaked = sorted(
        v
        for v in _identifying(records, sources, observations)
        if v not in allowed and _standalone(v, everything)
    )
    assert leaked == []
    # stronger: no identifying value changes a single byte of the export
    assert texts == scrubbed


def test_birth_years_of_the_privacy_test_cannot_hide_in_the_baseline():
    # the search above would miss a birth year that the export shows anyway
    assert not {str(y) for y in range(1900, 1940)} & BASELINE


def _small_ledger(seed: int = 3):
    """A few dozen records with small groups, on public and non-public lists."""
    rng = random.Random(seed)
    secret = _source("secret-list-of-kim", Confidentiality.CONFIDENTIAL)
    sources = {**PUBLIC, secret.id: secret}
    records = [
        PersonRecord(
            record_id=f"r{n}",
            source_id=rng.choice([*PUBLIC_LISTS, secret.id]),
            full_name="nobody",
            sex=rng.choice(["M", "F", None]),
            birth_year=1930,
            province="somewhere",
            facility_id=rng.choice([*FACILITIES[:3], None]),
            year_arrested=rng.choice([2001, 2002, 2003, 2004, None]),
            fate=rng.choice(["detained", "released", "dead", "buried at the hill"]),
        )
        for n in range(70)
    ]
    return records, sources


def _grid(text: str) -> list[list[int | str]]:
    rows = list(csv.reader(text.splitlines()))[1:]
    return [[int(v) if v.isdigit() else v for v in row[1:]] for row in rows]


def test_record_tables_are_protected_together(tmp_path):
    records, sources = _small_ledger()
    summary, texts = _export(tmp_path / "p", records=records, sources=sources)
    assert summary.suppressed["primary"] > 0
    grids = [_grid(texts[f"{name}.csv"]) for name in RECORD_TABLES]
    for grid in grids:
        for row in grid:
            assert all(isinstance(v, str) or v == 0 or v >= 5 for v in row)
    # the list x year and list x sex tables share each list's total; all three
    # share the number of records
    intervals = attack(grids, 5, shared_rows=[(0, 2)])
    assert intervals
    assert {k: v for k, v in intervals.items() if v[1] - v[0] < 1} == {}


def test_non_public_lists_are_numbered_and_free_text_is_never_published(tmp_path):
    records, sources = _small_ledger()
    _, texts = _export(tmp_path / "p", records=records, sources=sources)
    everything = "\n".join(texts.values())
    assert "secret-list-of-kim" not in everything
    assert "non-public list 1" in texts["records_by_list_and_year.csv"]
    assert "buried" not in everything
    assert "other" in texts["records_by_facility_and_fate.csv"].splitlines()[0]
    lists = list(csv.DictReader(texts["lists.csv"].splitlines()))
    assert lists[-1] == {
        "list": "non-public list 1",
        "kind": "",
        "title": "",
        "public": "false",
        "simulated": "false",
    }


def test_only_observations_of_public_sources_count(tmp_path):
    secret = _source("secret-src", Confidentiality.RESTRICTED)
    key = INDICATORS[0]

    def obs(source: str, day: int) -> Observation:
        return Observation(
            source_id=source,
            indicator_key=key,
            observed_on=date(2021, 3, day),
            stance=Stance.SUPPORTS,
            credibility=Credibility.CONFIRMED,
            summary=f"summary {source} {day}",
        )

    observations = [obs("pub-list-a", 1), obs("pub-list-a", 2), obs("secret-src", 3)]
    summary, texts = _export(
        tmp_path / "p",
        sources={**PUBLIC, "secret-src": secret},
        observations=observations,
    )
    assert (summary.observations, summary.observations_left_out) == (2, 1)
    rows = list(csv.DictReader(texts["observations_by_benchmark.csv"].splitlines()))
    assert rows == [
        {
            "benchmark": key.split("/")[0],
            "period": "2021",
            "stance": "supports",
            "origin": "real",
            "observations": "2",
        }
    ]
    assert "summary" not in "\n".join(texts.values()).replace('"summary"', "")


def _assessment(bid: str, on: date, status: Status) -> BenchmarkAssessment:
    return BenchmarkAssessment(
        benchmark_id=bid,
        as_of=on,
        status=status,
        standard=StandardOfProof.ALLEGATION,
        reason="reason text that must stay inside",
        indicators=(),
    )


def _estimate(on: date, observed: int = 3) -> EstimateResult:
    return EstimateResult(
        population="camp-15",
        method="loglinear",
        estimate=12345.6,
        lower=9876.5,
        upper=15432.1,
        observed=observed,
        lists=("pub-list-a", "secret-list-of-kim"),
        diagnostics={"note": "diagnostic text that must stay inside"},
        as_of=on,
    )


@pytest.mark.parametrize(
    ("precision", "pattern"),
    [("year", r"\d{4}"), ("quarter", r"\d{4}-Q[1-4]"), ("month", r"\d{4}-\d{2}")],
)
def test_dates_are_coarsened(tmp_path, precision, pattern):
    bid = CATALOGUE.benchmarks[0].id
    days = [date(2020, 2, 14), date(2020, 5, 30), date(2021, 11, 2)]
    records, sources = _small_ledger()
    summary, texts = _export(
        tmp_path / "p",
        records=records,
        sources=sources,
        observations=[
            Observation(
                "pub-list-a",
                INDICATORS[0],
                d,
                Stance.SUPPORTS,
                Credibility.CONFIRMED,
                "s",
            )
            for d in days
        ],
        assessments={d: [_assessment(bid, d, Status.CLAIMED)] for d in days},
        estimates=[_estimate(d) for d in days],
        date_precision=precision,
    )
    data = json.loads(texts["export.json"])["tables"]
    periods = [r["period"] for r in data["observations_by_benchmark"]["rows"]]
    periods += [r["period"] for r in data["benchmark_statuses"]["rows"]]
    periods += [r["as_of"] for r in data["estimates"]["rows"]]
    assert periods
    assert all(re.fullmatch(pattern, p) for p in periods)
    assert set(periods) == {coarsen(d, precision) for d in days}
    # the only full date anywhere is the export's own date
    full = {m for t in texts.values() for m in re.findall(r"\d{4}-\d{2}-\d{2}", t)}
    assert full == {GENERATED.isoformat()}
    everything = "\n".join(texts.values())
    assert "reason text" not in everything and "diagnostic text" not in everything


def test_statuses_keep_the_latest_assessment_of_each_period(tmp_path):
    bid = CATALOGUE.benchmarks[0].id
    timeline = {
        date(2020, 1, 1): [_assessment(bid, date(2020, 1, 1), Status.CLAIMED)],
        date(2020, 12, 31): [_assessment(bid, date(2020, 12, 31), Status.VERIFIED)],
    }
    _, texts = _export(tmp_path / "p", assessments=timeline)
    rows = list(csv.DictReader(texts["benchmark_statuses.csv"].splitlines()))
    assert [(r["period"], r["status"]) for r in rows] == [("2020", "verified")]


def test_estimates_are_rounded_outward_and_small_observed_counts_masked(tmp_path):
    _, texts = _export(
        tmp_path / "p",
        estimates=[_estimate(date(2024, 6, 1)), _estimate(date(2025, 6, 1), 40)],
    )
    rows = list(csv.DictReader(texts["estimates.csv"].splitlines()))
    assert [(r["estimate"], r["lower"], r["upper"]) for r in rows] == [
        ("12300", "9870", "15500"),
        ("12300", "9870", "15500"),
    ]
    assert [r["observed"] for r in rows] == ["<5", "40"]
    assert rows[0]["lists"] == "pub-list-a;non-public list 1"


def test_the_manifest_holds_the_hash_of_every_other_file(tmp_path):
    records, sources = _small_ledger()
    out = tmp_path / "p"
    summary, texts = _export(out, records=records, sources=sources)
    manifest = json.loads(texts["manifest.json"])
    listed = {f["name"]: f for f in manifest["files"]}
    assert set(listed) == set(texts) - {"manifest.json"}
    assert summary.files[-1] == "manifest.json"
    assert set(summary.files) == set(texts)
    for name, entry in listed.items():
        raw = (out / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
        assert entry["bytes"] == len(raw)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=people(), seed=st.integers(0, 1000))
def test_the_export_is_deterministic(data, seed):
    records, sources, observations = data
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    with tempfile.TemporaryDirectory() as tmp:
        _, first = _export(
            Path(tmp) / "a", records=records, sources=sources, observations=observations
        )
        _, second = _export(
            Path(tmp) / "b",
            records=shuffled,
            sources=sources,
            observations=list(reversed(observations)),
        )
    assert first == second


def test_an_earlier_export_is_replaced_and_a_foreign_folder_refused(tmp_path):
    records, sources = _small_ledger()
    out = tmp_path / "p"
    _, first = _export(out, records=records, sources=sources)
    _, again = _export(out, records=records[:40], sources=sources)
    assert first != again and set(first) == set(again)
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not part of a public export"):
        _export(out)
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        _export(afile)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"threshold": 2}, "exactly 1"), ({"date_precision": "day"}, "day")],
)
def test_bad_settings_are_refused(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        _export(tmp_path / "p", **kwargs)
    assert not (tmp_path / "p").exists()


def test_simulated_origin_is_flagged(tmp_path):
    sim = Source(
        id="sim-list",
        kind=SourceKind.NGO_LIST,
        title="A simulated list",
        owner="o",
        reliability=Reliability.B,
        published_on=None,
        origin=Origin.SIMULATED,
    )
    obs = Observation(
        "sim-list",
        INDICATORS[0],
        date(2030, 1, 1),
        Stance.SUPPORTS,
        Credibility.CONFIRMED,
        "s",
    )
    _, texts = _export(
        tmp_path / "p", sources={**PUBLIC, "sim-list": sim}, observations=[obs]
    )
    rows = list(csv.DictReader(texts["observations_by_benchmark.csv"].splitlines()))
    assert rows[0]["origin"] == "simulated"
