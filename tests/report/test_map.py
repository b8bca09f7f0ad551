"""The facilities map: projection, markers, escaping, links, determinism."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from datetime import date
from importlib import resources
from typing import Any

import pytest

from rightsledger.catalogue import load_catalogue
from rightsledger.domain import Facility, FacilityEvent, FacilityState, FacilityType
from rightsledger.report.map import (
    MAP_CSS,
    Projection,
    current_state,
    facilities_map_svg,
    located,
    unplaced,
)

SVG = "{http://www.w3.org/2000/svg}"
PYONGYANG = (125.75, 39.02)
EVIL = "<script>alert('x')</script> & \"Camp\" <b>"


def _facility(
    fid: str,
    name: str = "Site",
    lat: float | None = 40.0,
    lon: float | None = 127.0,
    kind: FacilityType = FacilityType.KYOHWASO,
    history: tuple[FacilityEvent, ...] = (),
) -> Facility:
    return Facility(fid, name, kind, "somewhere", lat, lon, "MSS", history)


def _event(on: date, state: FacilityState) -> FacilityEvent:
    return FacilityEvent(on, state, "note", ("SRC",))


def _outline() -> Any:
    path = resources.files("rightsledger.report").joinpath("data/korea-outline.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _title(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    assert title is not None and title.text is not None
    return title.text


def _bbox(name: str) -> tuple[float, float, float, float]:
    feature = next(f for f in _outline()["features"] if f["properties"]["name"] == name)
    pts = [p for poly in feature["geometry"]["coordinates"] for p in poly[0]]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed in a test


def _groups(svg: str) -> dict[str, ET.Element]:
    root = _parse(svg)
    found: dict[str, ET.Element] = {}
    for g in root.iter(f"{SVG}g"):
        if "data-facility" in g.attrib:
            assert g.attrib["data-facility"] not in found, "facility drawn twice"
            found[g.attrib["data-facility"]] = g
    return found


@pytest.fixture(scope="module")
def facilities() -> tuple[Facility, ...]:
    return load_catalogue().facilities


def test_outline_data_is_small_and_holds_both_koreas():
    path = resources.files("rightsledger.report").joinpath("data/korea-outline.json")
    assert len(path.read_bytes()) < 60_000
    names = {
        f["properties"]["name"]: f["properties"]["role"] for f in _outline()["features"]
    }
    assert names["North Korea"] == "focus"
    assert names["South Korea"] == "country"
    west, south, east, north = _bbox("North Korea")
    assert (
        124 < west < 125
        and 130 < east < 131
        and 37 < south < 38.5
        and 42.5 < north < 43.5
    )


def test_projection_puts_pyongyang_inside_the_dprk_box():
    west, south, east, north = _bbox("North Korea")
    proj = Projection.fit((west - 0.3, south - 0.3, east + 0.3, north + 0.3), 700)
    x, y = proj(*PYONGYANG)
    x0, y0 = proj(west, north)
    x1, y1 = proj(east, south)
    assert x0 < x < x1 and y0 < y < y1
    # west of the middle, south of the middle: x small, y large
    assert x < proj.width / 2 < y * 2
    # x is shrunk by cos(latitude): a degree east is shorter than a degree north
    dx = proj(128, 40)[0] - proj(127, 40)[0]
    dy = proj(127, 39)[1] - proj(127, 40)[1]
    mid = math.radians((south + north) / 2 - 0.0)
    assert dx / dy == pytest.approx(math.cos(mid), rel=0.01)


def test_projection_refuses_empty_bounds():
    with pytest.raises(ValueError, match="empty map bounds"):
        Projection.fit((127, 40, 127, 41), 500)


def test_every_located_facility_appears_once_with_its_title(facilities):
    svg = facilities_map_svg(facilities)
    groups = _groups(svg)
    expected = {f.id: f for f in located(facilities)}
    assert len(expected) >= 4
    assert set(groups) == set(expected)
    for fid, g in groups.items():
        lines = _title(g).split("\n")
        assert lines[0] == expected[fid].name
        assert current_state(expected[fid]).value in lines[1]
        assert g.attrib["data-state"] == current_state(expected[fid]).value


def test_kwanliso_are_labelled_and_others_only_on_hover(facilities):
    groups = _groups(facilities_map_svg(facilities))
    by_id = {f.id: f for f in facilities}
    for fid, g in groups.items():
        visible = [t.text for t in g.findall(f"{SVG}text")]
        hidden = g.find(f"{SVG}g[@class='rl-hover']")
        if by_id[fid].type is FacilityType.KWANLISO:
            assert by_id[fid].name in visible and hidden is None
        else:
            assert visible == [] and hidden is not None


def test_no_facility_without_coordinates_is_drawn(facilities):
    missing = unplaced(facilities)
    assert missing and all(f.latitude is None or f.longitude is None for f in missing)
    assert {f.id for f in missing} | {f.id for f in located(facilities)} == {
        f.id for f in facilities
    }
    svg = facilities_map_svg(facilities)
    for f in missing:
        assert f.id not in svg and f.name not in svg
    label = _parse(svg).attrib["aria-label"]
    assert f"{len(missing)} without a public location" in label


def test_impossible_coordinates_count_as_unplaced():
    bad = [_facility("nan", lat=math.nan), _facility("far", lat=95.0), _facility("ok")]
    assert [f.id for f in unplaced(bad)] == ["nan", "far"]
    assert set(_groups(facilities_map_svg(bad))) == {"ok"}


def test_names_from_data_are_escaped():
    fac = _facility("evil-1", name=EVIL, kind=FacilityType.KWANLISO)
    svg = facilities_map_svg([fac], links={"evil-1": '/f/evil-1?a=1&b="2"'})
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    g = _groups(svg)["evil-1"]
    assert _title(g).startswith(EVIL)
    assert EVIL in [t.text for t in g.findall(f"{SVG}text")]
    link = next(root.iter(f"{SVG}a"))
    assert link.attrib["href"] == '/f/evil-1?a=1&b="2"'


def test_links_wrap_markers_when_given(facilities):
    links = {f.id: f"/facilities/{f.id}" for f in facilities}
    root = _parse(facilities_map_svg(facilities, links=links))
    anchors = list(root.iter(f"{SVG}a"))
    assert {a.attrib["href"] for a in anchors} == {
        f"/facilities/{f.id}" for f in located(facilities)
    }
    for a in anchors:
        g = a.find(f"{SVG}g")
        assert g is not None
        assert a.attrib["href"].endswith(g.attrib["data-facility"])
        assert a.attrib["aria-label"].startswith(_title(g).split("\n")[0])
    plain = _parse(facilities_map_svg(facilities))
    assert list(plain.iter(f"{SVG}a")) == [] and plain.attrib["role"] == "img"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:x", "data:text/html,x"]
)
def test_links_that_could_run_script_are_refused(url):
    with pytest.raises(ValueError, match="relative or http"):
        facilities_map_svg([_facility("a")], links={"a": url})


def test_output_is_deterministic_and_ignores_input_order(facilities):
    one = facilities_map_svg(facilities, lang="ko", highlight="kwanliso-15")
    two = facilities_map_svg(facilities, lang="ko", highlight="kwanliso-15")
    backwards = facilities_map_svg(
        tuple(reversed(facilities)), lang="ko", highlight="kwanliso-15"
    )
    assert one == two == backwards


def test_output_is_xml_with_an_accessible_name(facilities):
    for lang in ("en", "ko"):
        root = _parse(facilities_map_svg(facilities, lang=lang, width=400))
        assert root.tag == f"{SVG}svg"
        assert root.attrib["lang"] == lang
        assert root.attrib["aria-label"] == _title(root)
        assert int(root.attrib["width"]) == 400
        assert root.find(f".//{SVG}g[@class='rl-legend']") is not None
    assert "현재 상태" in facilities_map_svg(facilities, lang="ko")


def test_highlight_is_ringed_and_always_labelled(facilities):
    small = next(f for f in located(facilities) if f.type is not FacilityType.KWANLISO)
    g = _groups(facilities_map_svg(facilities, highlight=small.id))[small.id]
    assert g.find(f"{SVG}circle") is not None
    assert small.name in [t.text for t in g.findall(f"{SVG}text")]


def test_current_state_is_the_latest_report():
    d1, d2 = date(2014, 1, 1), date(2020, 1, 1)
    history = (
        _event(d2, FacilityState.CLOSED),
        _event(d1, FacilityState.OPERATING),
        _event(d2, FacilityState.CONTESTED),
    )
    assert current_state(_facility("a", history=history)) is FacilityState.CONTESTED
    assert current_state(_facility("b")) is FacilityState.UNKNOWN
    svg = facilities_map_svg([_facility("a", history=history), _facility("b")])
    states = {k: g.attrib["data-state"] for k, g in _groups(svg).items()}
    assert states == {"a": "contested", "b": "unknown"}
    assert "as of 2020-01-01" in svg and "no dated report" in svg


def test_bad_arguments_are_refused(facilities):
    with pytest.raises(ValueError, match="language"):
        facilities_map_svg(facilities, lang="fr")
    with pytest.raises(ValueError, match="width"):
        facilities_map_svg(facilities, width=50)


def test_a_facility_far_away_widens_the_view():
    near = facilities_map_svg([_facility("near")])
    far = facilities_map_svg([_facility("near"), _facility("far", lat=35.0, lon=128.0)])
    assert int(_parse(far).attrib["height"]) > int(_parse(near).attrib["height"])
    assert "far" in _groups(far)


def test_css_can_be_left_to_the_page(facilities):
    inline = facilities_map_svg(facilities)
    bare = facilities_map_svg(facilities, embed_css=False)
    assert f"<style>{MAP_CSS}</style>" in inline
    assert "<style" not in bare and " style=" not in bare
    assert ".rl-hover{visibility:hidden}" in MAP_CSS


def test_every_language_names_every_state_and_type():
    path = resources.files("rightsledger.report").joinpath("data/map-words.json")
    words = json.loads(path.read_text(encoding="utf-8"))
    assert set(words) >= {"en", "ko"}
    keys = set(words["en"])
    for lang, table in words.items():
        assert set(table) == keys, lang
        for state in FacilityState:
            assert table[f"state.{state.value}"]
        for kind in FacilityType:
            assert table[f"type.{kind.value}"]
