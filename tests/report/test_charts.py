"""The report charts: pure SVG text, deterministic, safe to embed, Korean-ready."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any

from rightsledger.report.charts import (
    STATUS_COLOURS,
    estimates_svg,
    status_timeline_svg,
    svg_data_uri,
)

DATES = [
    {"date": "2024-12-31", "simulated": False},
    {"date": "2026-12-31", "simulated": True},
    {"date": "2027-12-31", "simulated": True},
]


def _row(statuses: list[str | None]) -> dict[str, Any]:
    return {
        "trend": [
            {"date": d["date"], "status": s, "simulated": d["simulated"]}
            for d, s in zip(DATES, statuses, strict=True)
        ]
    }


def _estimate(**changes: Any) -> dict[str, Any]:
    row = {
        "population": "camp-15",
        "method": "loglinear",
        "estimate": 1200,
        "lower": 900,
        "upper": 2100,
        "confidence": 95,
        "as_of": "2024-12-31",
        "simulated": False,
    }
    return row | changes


def test_timeline_is_deterministic_well_formed_and_undated() -> None:
    row = _row(["no-progress", "claimed", "partial"])
    first, second = status_timeline_svg(row, DATES), status_timeline_svg(row, DATES)
    assert first == second
    ET.fromstring(first.encode())  # noqa: S314 - our own output
    assert "<dc:date>" not in first
    assert "<text" not in first  # glyphs as outlines: no font needed to show it


def test_timeline_fills_real_points_and_hollows_simulated_ones() -> None:
    verified = STATUS_COLOURS["verified"]
    real = status_timeline_svg(_row(["verified", None, None]), DATES)
    simulated = status_timeline_svg(_row([None, None, "verified"]), DATES)
    assert f"fill: {verified}" in real
    assert f"fill: {verified}" not in simulated
    assert f"stroke: {verified}" in simulated


def test_timeline_in_korean_draws_other_labels() -> None:
    row = _row(["regressed", "regressed", "verified"])
    english = status_timeline_svg(row, DATES)
    korean = status_timeline_svg(row, DATES, lang="ko")
    assert english != korean
    assert "후퇴" in korean and "후퇴" not in english  # XML comments name the glyphs


def test_timeline_without_assessments_still_draws() -> None:
    svg = status_timeline_svg(_row([None, None, None]), DATES)
    assert "not assessed" in svg


def test_estimates_draw_each_drawable_row() -> None:
    rows = [
        _estimate(),
        _estimate(population="camp-16", simulated=True),
        _estimate(population="camp-25", lower=None),
    ]
    svg = estimates_svg(rows)
    assert svg == estimates_svg(rows)
    assert "camp-15" in svg and "camp-16" in svg
    assert "camp-25" not in svg


def test_estimates_with_nothing_to_draw_say_so() -> None:
    assert "no estimates" in estimates_svg([])
    assert "추정치 없음" in estimates_svg([], lang="ko")


def test_hostile_labels_cannot_break_out_of_the_svg() -> None:
    payload = "--><script>alert(1)</script><!--"
    svg = estimates_svg([_estimate(population=payload, method="<img src=x>")])
    root = ET.fromstring(svg.encode())  # noqa: S314 - our own output
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags and "img" not in tags
    assert "<script" not in svg


def test_data_uri_round_trips() -> None:
    svg = status_timeline_svg(_row(["claimed", "claimed", "claimed"]), DATES)
    uri = svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
