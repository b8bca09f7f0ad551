"""Make ``src/rightsledger/report/data/korea-outline.json`` from Natural Earth.

The facilities map (``rightsledger.report.map``) draws the Korean peninsula from a
small GeoJSON file that ships with the package. This script made that file; it is
kept so the file can be checked and remade, and is never run at test time.

Input: ``countries-10m.json`` (or ``-50m``) from the npm package ``world-atlas``
2.0.2, which is Natural Earth 4.1.0 "Admin 0 - Countries" as quantised TopoJSON.
Natural Earth is in the public domain; world-atlas is under the ISC licence.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/make_korea_outline.py /tmp/package/countries-10m.json

What it does, with the standard library only:

1. decodes the TopoJSON arcs (delta-encoded, quantised) into lon/lat;
2. simplifies each arc once with Douglas-Peucker, before rings are assembled, so
   that the border the two Koreas share stays one line in both outlines;
3. keeps North Korea and South Korea whole (role ``focus`` and ``country``) and
   clips China and Russia to a box round the peninsula (role ``context``),
   so the land border reads as a border and not as a coast;
4. drops islands smaller than a few pixels at map scale, rounds to 3 decimals
   (about 100 m) and writes compact GeoJSON with a ``source`` note.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Ring = list[Point]

OUT = (
    Path(__file__).resolve().parent.parent
    / "src/rightsledger/report/data/korea-outline.json"
)
#: ISO 3166-1 numeric code -> (name, Korean name, role, where its name is written)
KEEP: dict[str, tuple[str, str, str, tuple[float, float]]] = {
    "408": ("North Korea", "북한", "focus", (127.35, 40.45)),
    "410": ("South Korea", "한국", "country", (128.3, 37.35)),
    "156": ("China", "중국", "context", (124.9, 42.35)),
    "643": ("Russia", "러시아", "context", (131.2, 43.25)),
}
#: The box context countries are clipped to: west, south, east, north (degrees).
CLIP = (121.0, 33.0, 133.0, 44.5)
#: Reference places drawn for orientation: rounded city-centre coordinates.
PLACES = [
    {"name": "Pyongyang", "name_ko": "평양", "lon": 125.75, "lat": 39.02},
    {"name": "Seoul", "name_ko": "서울", "lon": 126.98, "lat": 37.57},
]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Turn quantised, delta-encoded TopoJSON arcs into lon/lat point lists."""
    (sx, sy), (tx, ty) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _distance(p: Point, a: Point, b: Point) -> float:
    """Distance from ``p`` to the segment ``a``-``b`` (planar, in degrees)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative; keeps both end points of the arc."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_from(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join the arcs of one ring; a negative index ``~i`` means arc ``i`` reversed."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clip of a closed ring to an axis-aligned box."""
    west, south, east, north = box
    # (axis, boundary value, +1 to keep points at or above it, -1 at or below)
    edges = [(0, west, 1), (0, east, -1), (1, south, 1), (1, north, -1)]
    out = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for axis, value, sign in edges:
        points, out = out, []
        for i, cur in enumerate(points):
            prev = points[i - 1]
            inside = sign * (cur[axis] - value) >= 0
            if inside != (sign * (prev[axis] - value) >= 0):
                t = (value - prev[axis]) / (cur[axis] - prev[axis])
                x = prev[0] + t * (cur[0] - prev[0])
                y = prev[1] + t * (cur[1] - prev[1])
                out.append((value, y) if axis == 0 else (x, value))
            if inside:
                out.append(cur)
    return out + out[:1] if out else []


def area(ring: Ring) -> float:
    """Absolute planar area of a ring in square degrees (shoelace)."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def feature(
    geometry: dict[str, Any], arcs: list[Ring], min_area: float, role: str
) -> list[list[list[list[float]]]]:
    """The MultiPolygon coordinates of one country, clipped if it is context."""
    polygons = geometry["arcs"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    result: list[list[list[list[float]]]] = []
    for polygon in polygons:
        rings = []
        for indices in polygon:
            ring = ring_from(indices, arcs)
            if role == "context":
                ring = clip(ring, CLIP)
            if len(ring) >= 4 and area(ring) >= min_area:
                rings.append([[round(x, 3), round(y, 3)] for x, y in ring])
        if rings:
            result.append(rings)
    return result


def build(topology: dict[str, Any], tolerance: float, min_area: float) -> Any:
    """The whole output document."""
    arcs = [simplify(a, tolerance) for a in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") not in KEEP:
            continue
        name, name_ko, role, label = KEEP[geometry["id"]]
        coordinates = feature(geometry, arcs, min_area, role)
        features.append(
            {
                "type": "Feature",
                "id": geometry["id"],
                "properties": {
                    "name": name,
                    "name_ko": name_ko,
                    "role": role,
                    "label": list(label),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
            }
        )
    features.sort(
        key=lambda f: ("focus", "country", "context").index(f["properties"]["role"])
    )
    return {
        "type": "FeatureCollection",
        "source": (
            "Natural Earth 4.1.0 Admin 0 countries (public domain), via npm "
            f"world-atlas 2.0.2; simplified {tolerance} deg; see SOURCES.md"
        ),
        "places": PLACES,
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-*.json")
    parser.add_argument("--tolerance", type=float, default=0.006, help="degrees")
    parser.add_argument("--min-area", type=float, default=0.0008, help="sq degrees")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    document = build(topology, args.tolerance, args.min_area)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode())} bytes)")  # noqa: T201


if __name__ == "__main__":
    main()
