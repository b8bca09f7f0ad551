"""Labels and markers for the facilities map: text over a white halo, marker
shapes, and a spot for each label clear of the others."""

from __future__ import annotations

from xml.sax.saxutils import escape

__all__ = ["Box", "halo_text", "label_spot", "marker", "overlap", "text_width"]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (pixels)
HALO = 'stroke="#fff" stroke-width="3" stroke-linejoin="round"'


def text_width(text: str, size: float) -> float:
    """A rough width of ``text`` in pixels: a full em for Hangul and CJK."""
    return sum(size * (1.0 if ord(c) >= 0x1100 else 0.56) for c in text)


def halo_text(x: float, y: float, text: str, size: float, extra: str = "") -> str:
    """A label over a white halo: the same text drawn twice, first with a white
    outline (``paint-order`` would need one element, but not every renderer has it).
    """
    body = escape(text)
    pos = f'x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" {extra}'.rstrip()
    return f"<text {pos} {HALO}>{body}</text><text {pos}>{body}</text>"


def marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    """A marker path centred on ``(x, y)``."""
    if shape == "circle":
        d = f"M{x - r:.1f},{y:.1f}a{r:g},{r:g} 0 1,0 {2 * r:g},0"
        d += f"a{r:g},{r:g} 0 1,0 {-2 * r:g},0Z"
    elif shape == "diamond":
        q = r * 1.3
        d = f"M{x:.1f},{y - q:.1f}L{x + q:.1f},{y:.1f}L{x:.1f},{y + q:.1f}"
        d += f"L{x - q:.1f},{y:.1f}Z"
    elif shape == "square":
        d = f"M{x - r:.1f},{y - r:.1f}h{2 * r:g}v{2 * r:g}h{-2 * r:g}Z"
    else:  # triangle
        q = r * 1.25
        d = f"M{x:.1f},{y - q:.1f}L{x + q:.1f},{y + q * 0.8:.1f}"
        d += f"L{x - q:.1f},{y + q * 0.8:.1f}Z"
    return f'<path d="{d}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'


def overlap(a: Box, b: Box) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3])


def label_spot(
    at: tuple[float, float, float], text: str, size: float, frame: Box, taken: list[Box]
) -> tuple[float, float, str, Box]:
    """Where a label goes: right, left, above or below its mark, the first spot
    inside ``frame`` clear of ``taken`` (else the right). Returns x, y, anchor, box."""
    x, y, r = at
    w, h, g = text_width(text, size), size * 1.2, r + 3
    spots = [
        (x + g, y + size * 0.35, "start", (x + g, y - h / 2, x + g + w, y + h / 2)),
        (x - g, y + size * 0.35, "end", (x - g - w, y - h / 2, x - g, y + h / 2)),
        (x, y - g - 2, "middle", (x - w / 2, y - g - h, x + w / 2, y - g)),
        (x, y + g + size, "middle", (x - w / 2, y + g, x + w / 2, y + g + h)),
    ]
    for spot in spots:
        box = spot[3]
        inside = box[0] >= frame[0] and box[1] >= frame[1]
        if inside and box[2] <= frame[2] and box[3] <= frame[3]:  # noqa: SIM102
            if not any(overlap(box, t) for t in taken):
                return spot
    return spots[0]
