"""The facilities map: detention sites on an outline of the peninsula, as one SVG.

``facilities_map_svg(facilities)`` returns a self-contained ``<svg>`` string (no
tiles, scripts, fonts or images to fetch), so it works offline, inline in a page,
in a PDF and in a screenshot. It draws:

- North and South Korea, with China and Russia in grey, from Natural Earth (public
  domain; ``report/data/korea-outline.json``, see ``report/data/SOURCES.md``), and
  Pyongyang and Seoul for orientation;
- a light graticule every degree, labelled on the left and bottom edges, and a
  scale bar;
- each facility with public coordinates as a marker whose colour *and* shape give
  its current state (operating: red circle; contested: orange diamond; closed: grey
  square; unknown: blue triangle), larger for a kwanliso. Each marker has a
  ``<title>`` tooltip (name, type, state, date of the report behind it) and, when
  ``links`` maps its id to a URL, is a link. Kwanliso and the ``highlight``
  facility are labelled; other labels show on hover or keyboard focus;
- a legend with the number shown and the number left out, and an accessible name.

The current state is the state of the latest event in the facility's history (the
later entry wins a tie of dates); no history means ``unknown``. Facilities without
coordinates are not drawn: ``unplaced(facilities)`` lists them for the page. The
view is the focus country's box (North Korea) grown to hold every facility, plus a
margin, in an equirectangular projection with x scaled by cos(middle latitude).

Strings from data are escaped; link URLs must be relative or http(s). The output
depends only on the arguments (no clock, no randomness, markers in a fixed order).
Words come in English and Korean (``lang="en"`` or ``"ko"``) from
``report/data/map-words.json``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from rightsledger.domain import Facility, FacilityState, FacilityType

from .geography import (
    Projection,
    Ring,
    current_event,
    current_state,
    located,
    map_words,
    outline_countries,
    position,
    reference_places,
    unplaced,
    view_bounds,
)
from .map_labels import Box, halo_text, label_spot, marker, overlap, text_width

__all__ = [
    "MAP_CSS",
    "Projection",
    "current_event",
    "current_state",
    "facilities_map_svg",
    "located",
    "unplaced",
]


#: marker shape and colour per state: the state never rests on colour alone
STATE_STYLE: dict[FacilityState, tuple[str, str]] = {
    FacilityState.OPERATING: ("circle", "#b2182b"),
    FacilityState.CONTESTED: ("diamond", "#e08600"),
    FacilityState.CLOSED: ("square", "#5b5b5b"),
    FacilityState.UNKNOWN: ("triangle", "#3a8fd0"),
}
_FILL = {"context": "#e6e4df", "country": "#f3f1ec", "focus": "#fffdf8"}
_STROKE = {"context": "#b9b5ac", "country": "#8c96a0", "focus": "#4f5d6b"}
#: The map's style sheet. It is inlined in a ``<style>`` element unless
#: ``embed_css=False``; a page whose Content-Security-Policy forbids inline
#: styles serves these rules from its own static stylesheet instead.
MAP_CSS = (
    ".rl-map{max-width:100%;height:auto;background:#fff}"
    ".rl-map text{font-family:'Noto Sans','Noto Sans CJK KR',Arial,sans-serif}"
    ".rl-map .rl-hover{visibility:hidden}.rl-map .rl-fac:hover .rl-hover,"
    ".rl-map a:focus .rl-hover{visibility:visible}"
    ".rl-map a:focus path{stroke:#111;stroke-width:2.5}"
)
_CITY = 'r="3" fill="#fff" stroke="#333" stroke-width="1.4"'


def _ring_path(ring: Ring, proj: Projection) -> str:
    """One closed sub-path in pixels, repeats dropped; empty outside the view."""
    west, south, east, north = proj.bounds
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    if min(lons) > east or max(lons) < west or min(lats) > north or max(lats) < south:
        return ""
    out: list[str] = []
    for lon, lat in ring:
        point = "{:.1f} {:.1f}".format(*proj(lon, lat))
        if not out or out[-1] != point:
            out.append(point)
    return "M" + "L".join(out) + "Z" if len(out) > 2 else ""


def _outlines(proj: Projection, lang: str) -> list[str]:
    """The countries as filled paths, then the names of those in view."""
    parts: list[str] = []
    for c in outline_countries():
        d = "".join(_ring_path(r, proj) for poly in c.polygons for r in poly)
        name = escape(c.name_ko if lang == "ko" else c.name)
        parts.append(
            f'<path d="{d}" fill="{_FILL[c.role]}" stroke="{_STROKE[c.role]}" '
            f'stroke-width="{1.1 if c.role == "focus" else 0.7}" '
            f'stroke-linejoin="round" fill-rule="evenodd"><title>{name}</title></path>'
        )
    for c in outline_countries():
        x, y = proj(*c.label)
        if 60 < x < proj.width - 60 and 20 < y < proj.height - 40:
            name = c.name_ko if lang == "ko" else c.name.upper()
            spacing = "" if lang == "ko" else ' letter-spacing="2.5"'
            parts.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" fill="#9a958c" '
                f'text-anchor="middle"{spacing}>{escape(name)}</text>'
            )
    return parts


def _graticule(proj: Projection) -> list[str]:
    """Lines every degree (2 or 5 on wide views), labelled on the edges."""
    west, south, east, north = proj.bounds
    step = 1 if east - west <= 12 else 2 if east - west <= 24 else 5
    lines: list[str] = []
    labels: list[str] = []
    colour = 'fill="#5d7184"'
    for lon in range(math.ceil(west / step) * step, math.floor(east) + 1, step):
        x = proj(lon, south)[0]
        if 40 < x < proj.width - 20:
            lines.append(f"M{x:.1f} 0V{proj.height}")
            text = f"{abs(lon)}°{'E' if lon >= 0 else 'W'}"
            labels.append(
                halo_text(
                    x, proj.height - 6, text, 10, f'text-anchor="middle" {colour}'
                )
            )
    for lat in range(math.ceil(south / step) * step, math.floor(north) + 1, step):
        y = proj(west, lat)[1]
        if 16 < y < proj.height - 30:
            lines.append(f"M0 {y:.1f}H{proj.width}")
            labels.append(
                halo_text(
                    4, y - 3, f"{abs(lat)}°{'N' if lat >= 0 else 'S'}", 10, colour
                )
            )
    path = (
        f'<path d="{"".join(lines)}" fill="none" stroke="#7f9bb5" '
        'stroke-width="0.5" stroke-opacity="0.45"/>'
    )
    return [path, *labels]


def _cities(proj: Projection, lang: str, frame: Box, taken: list[Box]) -> list[str]:
    """Reference cities in view: a small ring and a name."""
    parts: list[str] = []
    for name, name_ko, lon, lat in reference_places():
        x, y = proj(lon, lat)
        if 0 < x < proj.width and 0 < y < proj.height:
            label = name_ko if lang == "ko" else name
            tx, ty, anchor, box = label_spot((x, y, 3), label, 11, frame, taken)
            taken += [box, (x - 4, y - 4, x + 4, y + 4)]
            style = f'text-anchor="{anchor}" fill="#333"'
            style += "" if lang == "ko" else ' font-style="italic"'
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" {_CITY}/>')
            parts.append(halo_text(tx, ty, label, 11, style))
    return parts


def _tooltip(facility: Facility, lang: str) -> str:
    """Name, type, current state and the date of the report it rests on."""
    words = map_words()[lang]
    event = current_event(facility)
    state = words[f"state.{current_state(facility).value}"]
    when = f"{words['as_of']} {event.on.isoformat()}" if event else words["no_report"]
    return f"{facility.name}\n{words[f'type.{facility.type.value}']} · {state} ({when})"


def _link(url: str) -> str:
    """A link URL, checked: relative or http(s), nothing that could run script."""
    head = url.split("/", 1)[0]
    scheme = head.split(":", 1)[0].strip().lower() if ":" in head else ""
    if scheme not in ("", "http", "https") or any(ord(c) < 32 for c in url):
        raise ValueError(f"map link must be relative or http(s), not {url!r}")
    return url


@dataclass(frozen=True, slots=True)
class _Layout:
    proj: Projection
    lang: str
    highlight: str | None
    links: Mapping[str, str]

    @property
    def frame(self) -> Box:
        return (0, 0, self.proj.width, self.proj.height)

    def rank(self, f: Facility) -> tuple[bool, bool, str]:
        """Drawing order: others, then kwanliso, then the highlight on top."""
        return (f.id == self.highlight, f.type is FacilityType.KWANLISO, f.id)

    def radius(self, f: Facility) -> float:
        big = 6.5 if f.type is FacilityType.KWANLISO else 4.5
        return big * (1.35 if f.id == self.highlight else 1.0)


def _facility(
    f: Facility, at: tuple[float, float], lay: _Layout, taken: list[Box]
) -> str:
    """One facility: its marker, its label, its tooltip and maybe its link."""
    (x, y), r = at, lay.radius(f)
    shape, colour = STATE_STYLE[current_state(f)]
    chosen, pinned = f.id == lay.highlight, f.type is FacilityType.KWANLISO
    tip = _tooltip(f, lay.lang)
    parts = [f"<title>{escape(tip)}</title>"]
    if chosen:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + 5:.1f}" fill="none" '
            'stroke="#111" stroke-width="1.5"/>'
        )
    parts.append(marker(shape, x, y, r, colour))
    size = 12 if pinned or chosen else 11
    tx, ty, anchor, box = label_spot(
        (x, y, r + 5 * chosen), f.name, size, lay.frame, taken
    )
    style = f'text-anchor="{anchor}" fill="#222"' + ' font-weight="600"' * chosen
    label = halo_text(tx, ty, f.name, size, style)
    if pinned or chosen:
        taken.append(box)
        parts.append(label)
    else:
        parts.append(f'<g class="rl-hover">{label}</g>')
    group = (
        f'<g class="rl-fac" data-facility="{_attr(f.id)}" '
        f'data-state="{current_state(f).value}">{"".join(parts)}</g>'
    )
    url = lay.links.get(f.id)
    if url is None:
        return group
    return f'<a href="{_attr(_link(url))}" aria-label="{_attr(tip)}">{group}</a>'


def _legend(lay: _Layout, notes: list[str], avoid: list[Box]) -> tuple[str, float]:
    """The key: the four states, the two marker sizes, the city mark, counts; in
    a corner clear of ``avoid``, else below the map. Returns it and its overhang."""
    words = map_words()[lay.lang]
    rows = [(s.value, words[f"state.{s.value}"]) for s in FacilityState]
    rows += [("big", words["type.kwanliso"]), ("small", words["small"])]
    rows += [("city", words["city"])]
    notes = [*notes, words["credit"]]
    texts = [words["legend"], *(t for _, t in rows), *notes]
    w = max(text_width(t, 11) for t in texts) + 36
    h = 18 * (len(rows) + 1) + 15 * len(notes) + 6
    x0, y0 = _corner(lay.proj, w, h, avoid)
    out = [
        f'<g class="rl-legend" transform="translate({x0:.1f},{y0:.1f})">'
        f'<rect width="{w:.0f}" height="{h:.0f}" rx="4" fill="#fff" '
        'fill-opacity="0.92" stroke="#c5ccd3"/>'
        f'<text x="10" y="18" font-size="11" font-weight="600" fill="#222">'
        f"{escape(words['legend'])}</text>"
    ]
    for i, (key, text) in enumerate(rows, start=2):
        out.append(_legend_mark(key, 18 * i - 4))
        out.append(
            f'<text x="30" y="{18 * i}" font-size="11" fill="#222">'
            f"{escape(text)}</text>"
        )
    for i, note in enumerate(notes):
        y = 18 * (len(rows) + 1) + 14 + 15 * i
        out.append(
            f'<text x="10" y="{y}" font-size="10" fill="#555">{escape(note)}</text>'
        )
    return "".join(out) + "</g>", max(0.0, y0 + h + 8 - lay.proj.height)


def _legend_mark(key: str, y: float) -> str:
    """The mark before one legend row: a state, a marker size or the city ring."""
    if key == "city":
        return f'<circle cx="16" cy="{y:g}" {_CITY}/>'
    if key in ("big", "small"):
        return marker("circle", 16, y, 6.5 if key == "big" else 4.5, "#777")
    shape, colour = STATE_STYLE[FacilityState(key)]
    return marker(shape, 16, y, 5.5, colour)


def _corner(
    proj: Projection, w: float, h: float, avoid: list[Box]
) -> tuple[float, float]:
    """Bottom right, top right or top left: the first corner clear of ``avoid``;
    else under the map."""
    right, bottom = proj.width - w - 10, proj.height - h - 24
    for x0, y0 in ((right, bottom), (right, 10.0), (50.0, 10.0)):
        if not any(overlap((x0, y0, x0 + w, y0 + h), b) for b in avoid):
            return x0, y0
    return 10.0, proj.height + 8.0


def _scale_bar(proj: Projection) -> str:
    """A 100 km bar (50 km on small maps) in the bottom-left corner."""
    km = 100 if 100 / proj.km_per_px() <= proj.width / 4 else 50
    x, y, length = 40.0, proj.height - 26.0, km / proj.km_per_px()
    return (
        f'<path d="M{x:.1f} {y - 4:.1f}V{y:.1f}H{x + length:.1f}V{y - 4:.1f}" '
        'fill="none" stroke="#333" stroke-width="1.2"/>'
        + halo_text(
            x + length / 2, y - 6, f"{km} km", 10, 'text-anchor="middle" fill="#333"'
        )
    )


def _attr(value: str) -> str:
    """Escape a string for a double-quoted XML attribute."""
    return escape(value, {'"': "&quot;", "\n": "&#10;"})


def facilities_map_svg(
    facilities: Iterable[Facility],
    *,
    width: int = 720,
    lang: str = "en",
    highlight: str | None = None,
    links: Mapping[str, str] | None = None,
    embed_css: bool = True,
) -> str:
    """Draw the facilities that have public coordinates on the outline map.

    Args:
        facilities: Facilities to draw (e.g. ``catalogue.facilities``); those
            without coordinates are skipped (list them with ``unplaced``).
        width: Width of the drawing in pixels; the height follows the view.
        lang: ``"en"`` or ``"ko"``: legend, tooltips, country and city names.
        highlight: Id of a facility to emphasise (ring, bold, always labelled).
        links: Facility id -> URL (relative or http(s)); those markers are links.
        embed_css: Put ``MAP_CSS`` in a ``<style>`` element (hover labels, font,
            responsive size); turn off when the page serves ``MAP_CSS`` itself.

    Returns:
        One ``<svg>`` element as a string, the same for the same arguments.

    Raises:
        ValueError: On an unknown ``lang``, a width under 200 px, or a link URL
            with another scheme (``javascript:``, ``data:``...).

    Examples:
        >>> from rightsledger.catalogue import load_catalogue
        >>> facilities_map_svg(load_catalogue().facilities, lang="ko")[:4]
        '<svg'
    """
    if lang not in map_words():
        raise ValueError(
            f"map language must be one of {sorted(map_words())}, not {lang!r}"
        )
    if width < 200:
        raise ValueError(f"map width must be at least 200 px, not {width}")
    given = list(facilities)
    placed = [(f, p) for f in given if (p := position(f)) is not None]
    proj = Projection.fit(view_bounds([p for _, p in placed], margin=0.3), width)
    lay = _Layout(proj, lang, highlight, links or {})
    placed.sort(key=lambda fp: lay.rank(fp[0]))
    body, taken = _frame(placed, lay)
    words = map_words()[lang]
    notes = [words["shown"].format(n=len(placed))]
    if len(given) > len(placed):
        notes.append(words["unplaced"].format(n=len(given) - len(placed)))
    legend, below = _legend(lay, notes, taken)
    name = f"{words['title']}: {'; '.join(notes)}"
    css = f"<style>{MAP_CSS}</style>" if embed_css else ""
    w, h = proj.width, proj.height + math.ceil(below)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rl-map" lang="{lang}" '
        f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'role="{"group" if lay.links else "img"}" aria-label="{_attr(name)}">'
        f"<title>{escape(name)}</title>{css}{body}{legend}</svg>"
    )


def _frame(
    placed: list[tuple[Facility, tuple[float, float]]], lay: _Layout
) -> tuple[str, list[Box]]:
    """Sea, land, graticule, cities, facilities and scale bar in a nested
    ``<svg>`` that clips them to the frame; and the boxes the legend must avoid."""
    proj = lay.proj
    at = {f.id: proj(*p) for f, p in placed}
    taken: list[Box] = [
        (x - r, y - r, x + r, y + r)
        for f, _ in placed
        for (x, y), r in [(at[f.id], lay.radius(f) + 2)]
    ]
    taken.append((30.0, proj.height - 44.0, proj.width / 4 + 50, proj.height - 18.0))
    taken.append((0.0, proj.height - 18.0, float(proj.width), float(proj.height)))
    parts = [
        f'<svg width="{proj.width}" height="{proj.height}">'
        f'<rect width="{proj.width}" height="{proj.height}" fill="#e8f0f6"/>',
        *_outlines(proj, lay.lang),
        *_graticule(proj),
        *_cities(proj, lay.lang, lay.frame, taken),
    ]
    # labelled in reverse drawing order, so pinned labels claim a spot first
    drawn = {f.id: _facility(f, at[f.id], lay, taken) for f, _ in reversed(placed)}
    parts += [drawn[f.id] for f, _ in placed]
    return "".join([*parts, _scale_bar(proj), "</svg>"]), taken
