"""Charts as inline SVG, drawn on the server: no JavaScript, no network, and the same markup
prints and renders into the PDF report."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0b5cad", "#c2571a")
GRID = "#c9d1d9"
INK = "#1d2733"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | None]  # percentages, one per axis; None = no applicable score


def _n(value: float) -> str:
    return f"{value:.1f}"


def radar(
    axes: Sequence[str], series: Sequence[Series], *, title: str, size: int = 360
) -> SafeString:
    """A radar (spider) chart of percentages 0–100 with one labelled axis per dimension;
    a dimension with no applicable indicator (None) is drawn at the centre."""
    count = len(axes)
    margin = 44  # room for the axis labels left and right
    width, centre, radius = size + 2 * margin, size / 2, size / 2 - 48
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
            'role="img" aria-label="{}" class="chart radar" direction="ltr">',
            width,
            size,
            width,
            size,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        x = margin + centre + radius * fraction * math.cos(angle)
        return x, centre + radius * fraction * math.sin(angle)

    for ring in (0.25, 0.5, 0.75, 1.0):
        ring_points = " ".join(
            f"{_n(x)},{_n(y)}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(
            f'<polygon points="{ring_points}" fill="none" stroke="{GRID}" stroke-width="1"/>'
        )
        x, y = point(0, ring)
        parts.append(
            f'<text x="{_n(x + 3)}" y="{_n(y + 10)}" font-size="9" fill="#5b6875">'
            f"{int(ring * 100)}%</text>"
        )
    for index, label in enumerate(axes):
        x, y = point(index, 1.0)
        parts.append(
            f'<line x1="{_n(margin + centre)}" y1="{_n(centre)}" x2="{_n(x)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        lx, ly = point(index, 1.0 + 26 / radius)
        offset = lx - margin - centre
        anchor = "middle" if abs(offset) < 8 else ("start" if offset > 0 else "end")
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" font-weight="600" fill="{}" '
                'text-anchor="{}" dominant-baseline="middle">{}</text>',
                _n(lx),
                _n(ly),
                INK,
                anchor,
                label,
            )
        )
    for number, item in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        shape = " ".join(
            f"{_n(x)},{_n(y)}"
            for x, y in (point(i, float(v or 0) / 100) for i, v in enumerate(item.values[:count]))
        )
        dash = ' stroke-dasharray="5 3"' if number else ""
        opacity = "0.08" if number else "0.22"
        parts.append(
            f'<polygon points="{shape}" fill="{colour}" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="2"{dash}>'
            f"<title>{escape(item.label)}</title></polygon>"
        )
        for i, value in enumerate(item.values[:count]):
            x, y = point(i, float(value or 0) / 100)
            parts.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))


def bars(
    labels: Sequence[str], series: Sequence[Series], *, title: str, width: int = 560
) -> SafeString:
    """Horizontal bars of percentages 0–100, one group per dimension, one bar per series."""
    label_width, value_width, bar_height, gap = 70, 52, 16, 10
    group = bar_height * len(series) + gap
    plot = width - label_width - value_width
    height = group * len(labels) + 28
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
            'role="img" aria-label="{}" class="chart bars" direction="ltr">',
            width,
            height,
            width,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        parts.append(
            f'<line x1="{_n(x)}" y1="0" x2="{_n(x)}" y2="{height - 18}" stroke="{GRID}"/>'
            f'<text x="{_n(x)}" y="{height - 4}" font-size="10" text-anchor="middle" '
            f'fill="#5b6875">{tick}%</text>'
        )
    for row, label in enumerate(labels):
        top = row * group + gap / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" font-weight="600" fill="{}" '
                'text-anchor="end" dominant-baseline="middle">{}</text>',
                label_width - 8,
                _n(top + bar_height * len(series) / 2),
                INK,
                label,
            )
        )
        for number, item in enumerate(series):
            value = item.values[row] if row < len(item.values) else None
            y = top + number * bar_height
            colour = COLOURS[number % len(COLOURS)]
            length = plot * float(value or 0) / 100
            text = "–" if value is None else f"{value}%"
            opacity = "0.55" if number else "1"
            parts.append(
                f'<rect x="{label_width}" y="{_n(y + 1)}" width="{_n(length)}" '
                f'height="{bar_height - 3}" fill="{colour}" fill-opacity="{opacity}">'
                f"<title>{escape(item.label)}: {text}</title></rect>"
                f'<text x="{_n(label_width + length + 4)}" y="{_n(y + bar_height / 2)}" '
                f'font-size="11" fill="{INK}" dominant-baseline="middle">{text}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(str(p) for p in parts))
