"""Where things are on the facilities map: the outlines and reference places shipped
with the package (Natural Earth, see ``report/data/SOURCES.md``), the map's words,
the projection, which facilities have a public location, and their current state.
Nothing here draws; :mod:`.map` does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rightsledger.domain import Facility, FacilityEvent, FacilityState

__all__ = [
    "Bounds",
    "Country",
    "Projection",
    "Ring",
    "current_event",
    "current_state",
    "located",
    "map_words",
    "outline_countries",
    "position",
    "reference_places",
    "unplaced",
    "view_bounds",
]

Bounds = tuple[float, float, float, float]  # west, south, east, north (degrees)
Ring = tuple[tuple[float, float], ...]
#: drawing order of the outlines: context first, so the focus country is on top
ROLES = ("context", "country", "focus")


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    name_ko: str
    role: str  # focus | country | context
    label: tuple[float, float]
    polygons: tuple[tuple[Ring, ...], ...]


def _data(name: str) -> Any:
    path = resources.files("rightsledger.report").joinpath(f"data/{name}")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def outline_countries() -> tuple[Country, ...]:
    """The outlines, context first so the focus country is drawn on top."""
    out = []
    for f in _data("korea-outline.json")["features"]:
        p = f["properties"]
        polygons = tuple(
            tuple(tuple((float(x), float(y)) for x, y in ring) for ring in poly)
            for poly in f["geometry"]["coordinates"]
        )
        out.append(
            Country(p["name"], p["name_ko"], p["role"], tuple(p["label"]), polygons)
        )
    return tuple(sorted(out, key=lambda c: ROLES.index(c.role)))


@lru_cache(maxsize=1)
def reference_places() -> tuple[tuple[str, str, float, float], ...]:
    """Reference cities: name, Korean name, longitude, latitude."""
    places = _data("korea-outline.json")["places"]
    return tuple((p["name"], p["name_ko"], p["lon"], p["lat"]) for p in places)


@lru_cache(maxsize=1)
def map_words() -> dict[str, dict[str, str]]:
    words: dict[str, dict[str, str]] = _data("map-words.json")
    return words


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular projection with x scaled by cos(middle latitude).

    Attributes:
        bounds: West, south, east, north of the view in degrees.
        width: Width of the drawing in pixels.
        height: Height in pixels, set by the bounds' aspect.
    """

    bounds: Bounds
    width: int
    height: int

    @classmethod
    def fit(cls, bounds: Bounds, width: int) -> Projection:
        """The projection that fills ``width`` pixels with ``bounds``."""
        west, south, east, north = bounds
        if not (east > west and north > south):
            raise ValueError(f"empty map bounds {bounds}")
        k = math.cos(math.radians((south + north) / 2))
        return cls(bounds, width, round(width * (north - south) / ((east - west) * k)))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel ``(x, y)`` of a point, y growing downwards."""
        west, south, east, north = self.bounds
        x = (lon - west) / (east - west) * self.width
        return x, (north - lat) / (north - south) * self.height

    def km_per_px(self) -> float:
        """Ground distance of one pixel (north-south), in kilometres."""
        return (self.bounds[3] - self.bounds[1]) * 111.32 / self.height


def position(facility: Facility) -> tuple[float, float] | None:
    """Longitude and latitude, or None when missing or impossible."""
    lat, lon = facility.latitude, facility.longitude
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return (lon, lat) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def located(facilities: Iterable[Facility]) -> list[Facility]:
    """The facilities the map draws: those with valid public coordinates."""
    return [f for f in facilities if position(f) is not None]


def unplaced(facilities: Iterable[Facility]) -> list[Facility]:
    """The facilities the map leaves out for want of a public location.

    Args:
        facilities: Any facilities, e.g. ``catalogue.facilities``.

    Returns:
        Those without a (valid) latitude and longitude, in the order given, so a
        page can list them beside the map.
    """
    return [f for f in facilities if position(f) is None]


def current_event(facility: Facility) -> FacilityEvent | None:
    """The latest event of a facility's history (the later entry wins a tie)."""
    latest: FacilityEvent | None = None
    for event in facility.history:
        if latest is None or event.on >= latest.on:
            latest = event
    return latest


def current_state(facility: Facility) -> FacilityState:
    """The state of the latest event, or ``unknown`` with no history."""
    event = current_event(facility)
    return event.state if event else FacilityState.UNKNOWN


def view_bounds(points: Sequence[tuple[float, float]], margin: float) -> Bounds:
    """The focus country's box grown to hold every point, plus a margin."""
    pts = list(points)
    for country in outline_countries():
        if country.role == "focus":
            pts += [p for poly in country.polygons for p in poly[0]]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin)
