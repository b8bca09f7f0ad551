"""The negotiation brief as plain data: a scorecard context -> a brief context.

Pure: no I/O, no clock, no template engine. :func:`brief_context` adds to a
scorecard context (see :func:`rightsledger.report.scorecard_context`) what a
negotiator needs on paper: a plain-language summary, the sources cited for every
status (numbered, with a citation list at the end), the agreements' coverage of the
benchmarks, and the charts as SVG ``data:`` URIs. The public scorecard is the same
context built from public evidence and passed through
:func:`rightsledger.report.brief_public.public_scorecard` first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rightsledger.domain import Agreement, Catalogue, Source

from .brief_text import labels, status_name
from .charts import estimates_svg, status_timeline_svg, svg_data_uri

__all__ = ["brief_context", "coverage_entry", "masked", "plain_summary"]


def brief_context(
    scorecard: Mapping[str, Any],
    catalogue: Catalogue,
    sources: Mapping[str, Source],
    *,
    lang: str = "en",
    kind: str = "brief",
    agreements: Sequence[Agreement] | None = None,
    charts: bool = True,
    small_cell: int = 5,
) -> dict[str, Any]:
    """Build the context of a brief (or, with ``kind="public"``, a public scorecard).

    Args:
        scorecard: A scorecard context; for the public scorecard, one built from
            public evidence and passed through ``public_scorecard``.
        catalogue: The catalogue (citation keys, agreements, Korean titles).
        sources: The sources the scorecard was built from, by id; only these are
            cited.
        lang: ``"en"`` or ``"ko"``: headings, status names and benchmark titles.
        kind: ``"brief"`` or ``"public"``.
        agreements: Agreements whose coverage to show; None takes the catalogue's.
        charts: Draw the charts (SVG data URIs); False leaves them empty.
        small_cell: The ledger's ``small_cell_threshold``: an indicator's count of
            evidence not shown (``withheld``) is masked below it.

    Returns:
        The scorecard's keys plus ``kind``, ``lang``, ``t`` (the fixed words),
        ``doc_title``, ``summary_text``, ``coverage``, ``citations``,
        ``cites_non_public``, ``estimates_chart``; every benchmark gains
        ``display_title``, ``status_label``, ``cited`` (citation numbers and
        entries) and ``chart``.
    """
    t = labels(lang)
    citations = _Citations(catalogue, sources)
    rows = [
        _benchmark(b, scorecard["dates"], citations, lang, charts, small_cell)
        for b in scorecard["benchmarks"]
    ]
    coverage = coverage_entry(
        catalogue, catalogue.agreements if agreements is None else agreements, lang
    )
    ctx = dict(scorecard)
    ctx.update(
        kind=kind,
        lang=lang,
        t=dict(t),
        doc_title=t["public_title" if kind == "public" else "brief_title"]
        + f" — {catalogue.country}",
        benchmarks=rows,
        coverage=coverage,
        citations=citations.entries,
        cites_non_public=any(not c["public"] for c in citations.entries),
        estimates_chart=_estimates_chart(scorecard["estimates"], lang, charts),
        status_names={
            s["status"]: status_name(s["status"], lang) for s in scorecard["counts"]
        },
    )
    ctx["summary_text"] = plain_summary(ctx, lang)
    return ctx


def _benchmark(
    row: Mapping[str, Any],
    dates: Sequence[Mapping[str, Any]],
    citations: _Citations,
    lang: str,
    charts: bool,
    small_cell: int,
) -> dict[str, Any]:
    out = dict(row)
    out["indicators"] = [_indicator(i, small_cell) for i in row["indicators"]]
    out["display_title"] = (
        (row.get("title_ko") or row["title"]) if lang == "ko" else (row["title"])
    )
    out["status_label"] = status_name(row["status"], lang)
    out["cited"] = citations.cite_benchmark(row)
    out["chart"] = (
        svg_data_uri(status_timeline_svg(row, dates, lang=lang)) if charts else ""
    )
    return out


def _indicator(row: Mapping[str, Any], small_cell: int) -> dict[str, Any]:
    """An indicator whose evidence the reader may not see is only counted
    (``withheld``, masked below ``small_cell``), never listed by id."""
    if "withheld" in row:  # the public scorecard counted it already
        return dict(row)
    hidden = sum(1 for e in row["evidence"] if e["missing"])
    shown = [e for e in row["evidence"] if not e["missing"]]
    return {**row, "evidence": shown, "withheld": masked(hidden, small_cell)}


def masked(count: int, small_cell: int) -> str:
    """A count as published: ``""`` for none, ``<small_cell`` when small."""
    if count <= 0:
        return ""
    return f"<{small_cell}" if count < small_cell else str(count)


def _estimates_chart(rows: Sequence[Mapping[str, Any]], lang: str, on: bool) -> str:
    if not on or not rows:
        return ""
    return svg_data_uri(estimates_svg(rows, lang=lang))


class _Citations:
    """Numbers sources in order of first citation and keeps the citation list."""

    def __init__(self, catalogue: Catalogue, sources: Mapping[str, Source]) -> None:
        self.sources = sources
        self.by_citation = {s.citation: s for s in sources.values() if s.citation}
        self.where = {c.key: c.where for c in catalogue.sources}
        self.number: dict[str, int] = {}
        self.entries: list[dict[str, Any]] = []

    def cite(self, source_id: str) -> dict[str, Any] | None:
        """The entry of a source, by id or by citation key (added to the list on
        first use); None when it is not among the sources the report may show."""
        src = self.sources.get(source_id) or self.by_citation.get(source_id)
        if src is None:
            return None
        source_id = src.id
        if source_id not in self.number:
            self.number[source_id] = len(self.entries) + 1
            self.entries.append(self._entry(src))
        return self.entries[self.number[source_id] - 1]

    def _entry(self, src: Source) -> dict[str, Any]:
        return {
            "n": len(self.entries) + 1,
            "id": src.id,
            "title": src.title,
            "kind": src.kind.value,
            "owner": src.owner,
            "grade": src.reliability.value,
            "date": src.published_on.isoformat() if src.published_on else "",
            "where": self.where.get(src.id, ""),
            "public": src.confidentiality.is_public,
            "confidentiality": src.confidentiality.value,
            "simulated": src.origin.value == "simulated",
        }

    def cite_benchmark(self, row: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The sources behind a benchmark's status: its evidence trail, then the
        catalogue keys of its sourced baseline; each with the latest date the
        status relies on it."""
        latest: dict[str, str] = {}
        for indicator in row.get("indicators", ()):
            for e in indicator["evidence"]:
                if not e["missing"] and e["source_id"]:
                    latest[e["source_id"]] = max(
                        latest.get(e["source_id"], ""), e["date"]
                    )
        for key in row.get("real_sources", ()):
            latest.setdefault(key, row.get("real_as_of") or "")
        cited: dict[str, dict[str, Any]] = {}
        for source_id, on in latest.items():
            entry = self.cite(source_id)
            if entry is None:
                continue
            seen = cited.get(entry["id"], {}).get("evidence_date", "")
            cited[entry["id"]] = {**entry, "evidence_date": max(seen, on)}
        return sorted(cited.values(), key=lambda c: c["n"])


def coverage_entry(
    catalogue: Catalogue, agreements: Sequence[Agreement], lang: str = "en"
) -> dict[str, Any]:
    """Which benchmarks each agreement's clauses cover, and which none covers.

    A benchmark is covered by an agreement when at least one of its clauses lists
    the benchmark in ``covers`` (the catalogue's curated, sourced mapping).
    """
    order = [b.id for b in catalogue.benchmarks]
    titles = {
        b.id: (b.title_ko or b.title) if lang == "ko" else b.title
        for b in catalogue.benchmarks
    }
    rows: list[dict[str, Any]] = []
    anywhere: set[str] = set()
    for a in sorted(agreements, key=lambda a: (a.signed_on, a.id)):
        covered = {bid for c in a.clauses for bid in c.covers if bid in titles}
        anywhere |= covered
        rows.append(
            {
                "id": a.id,
                "title": a.title,
                "signed_on": a.signed_on.isoformat(),
                "mentions_human_rights": a.mentions_human_rights,
                "covered": [b for b in order if b in covered],
                "missed": [b for b in order if b not in covered],
            }
        )
    return {
        "agreements": rows,
        "benchmarks": [
            {
                "id": bid,
                "title": titles[bid],
                "covered_by": [r["id"] for r in rows if bid in r["covered"]],
            }
            for bid in order
        ],
        "covered_by_none": [b for b in order if b not in anywhere],
    }


_SUMMARY_ORDER = (
    "verified",
    "partial",
    "claimed",
    "contested",
    "regressed",
    "no-progress",
)


def plain_summary(ctx: Mapping[str, Any], lang: str) -> str:
    """One paragraph in plain words: statuses, sanctions, coverage, simulation."""
    n = len(ctx["benchmarks"])
    counts = {c["status"]: c["count"] for c in ctx["counts"]}
    ready = ctx["sanctions"].get("counts", {})
    conditions = sum(ready.values())
    missed = len(ctx["coverage"]["covered_by_none"])
    if lang == "ko":
        tally = ", ".join(
            f"{status_name(s, 'ko')} {counts.get(s, 0)}개" for s in _SUMMARY_ORDER
        )
        parts = [
            f"{ctx['as_of'] or '-'} 기준 {n}개 기준 가운데 {tally}입니다.",
            f"제재 요건 {conditions}개 중 {ready.get('met', 0)}개가 충족되었습니다.",
            f"기록된 합의문은 {n}개 기준 중 {missed}개를 전혀 다루지 않습니다.",
        ]
    else:
        parts = [
            f"On {ctx['as_of'] or '-'}, of {n} benchmarks "
            f"{counts.get('verified', 0)} are verified, "
            f"{counts.get('partial', 0)} partly met, "
            f"{counts.get('claimed', 0)} claimed by the state without independent "
            f"confirmation, {counts.get('contested', 0)} contested, "
            f"{counts.get('regressed', 0)} regressed and "
            f"{counts.get('no-progress', 0)} show no progress.",
            f"{ready.get('met', 0)} of {conditions} sanctions conditions are met.",
            f"The agreements on record leave {missed} of the {n} benchmarks "
            "entirely uncovered.",
        ]
    if ctx.get("has_simulated"):
        parts.append(ctx["t"]["simulated_note"].format(real_until=ctx["real_until"]))
    return " ".join(parts)
