"""The dashboard's charts as inline SVG drawn on the server: no script, no network, and the
same markup goes into the situation report's PDF."""

from collections.abc import Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hbm.flows.models import AgeBand, FlowSex

ENTRY = "#0b5cad"
EXIT = "#c2571a"
AVERAGE = "#1d2733"
GRID = "#c9d1d9"
INK = "#1d2733"
FEMALE = "#8a3ffc"
MALE = "#0f7b6c"


def _n(value: float) -> str:
    return f"{value:.1f}"


def _open(width: int, height: int, title: str, kind: str) -> list[str]:
    return [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
            'role="img" aria-label="{}" class="chart {}" direction="ltr" '
            'font-family="sans-serif" font-size="11">',
            width,
            height,
            title,
            kind,
        ),
        format_html("<title>{}</title>", title),
    ]


def _nice_top(value: float) -> int:
    """The smallest 1, 2 or 5 × 10^k at or above the value (at least 1)."""
    top, step = 1, 0
    while top < value:
        top = (1, 2, 5)[step % 3] * 10 ** (step // 3)
        step += 1
    return top


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> str:
    parts = []
    for label, colour in items:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                _n(x),
                _n(y - 9),
                colour,
                _n(x + 14),
                _n(y),
                INK,
                label,
            )
        )
        x += 14 + 7 * len(label) + 16
    return "".join(parts)


def timeline(
    days: Sequence[date],
    entries: Sequence[int],
    exits: Sequence[int],
    average: Sequence[float | None],
    *,
    title: str,
    width: int = 760,
    height: int = 260,
) -> SafeString:
    """Entries as bars, exits as a line, and the 7-day average of entries as a bold line."""
    left, right, top, bottom = 48, 12, 28, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_top(max([*entries, *exits, *(a or 0 for a in average), 1]))
    count = max(len(days), 1)
    step = plot_w / count

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / peak

    parts = _open(width, height, title, "timeline")
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = peak * fraction
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left,
                width - right,
                _n(y(value)),
                _n(y(value)),
                GRID,
                left - 4,
                _n(y(value) + 4),
                INK,
                f"{value:,.0f}",
            )
        )
    for index, value in enumerate(entries):
        if value:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" opacity="0.75">'
                    "<title>{}: {}</title></rect>",
                    _n(left + index * step + step * 0.1),
                    _n(y(value)),
                    _n(max(step * 0.8, 0.5)),
                    _n(plot_h * value / peak),
                    ENTRY,
                    days[index].isoformat(),
                    value,
                )
            )

    def polyline(values: Sequence[float | None], colour: str, stroke: float) -> str:
        points = " ".join(
            f"{_n(left + i * step + step / 2)},{_n(y(v))}"
            for i, v in enumerate(values)
            if v is not None
        )
        if not points:
            return ""
        return (
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke}" stroke-linejoin="round"/>'
        )

    parts.append(polyline(list(exits), EXIT, 1.5))
    parts.append(polyline(list(average), AVERAGE, 2.5))
    ticks = max(1, count // 8)
    for index in range(0, count, ticks):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                _n(left + index * step + step / 2),
                height - bottom + 16,
                INK,
                date_format(days[index], "j M"),
            )
        )
    parts.append(
        _legend(
            left,
            16,
            [
                (_("Arrivals"), ENTRY),
                (_("Departures"), EXIT),
                (_("Arrivals, 7-day average"), AVERAGE),
            ],
        )
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


BANDS_TOP_DOWN = [AgeBand.OLDER_60, AgeBand.ADULT_18_59, AgeBand.CHILD_5_17, AgeBand.CHILD_0_4]


def pyramid(
    cells: dict[tuple[str, str], int], *, title: str, width: int = 480, height: int = 220
) -> SafeString:
    """Men to the left, women to the right, one row per age band; people of unknown sex or
    age are stated under the chart, not drawn."""
    middle, label_w, top, row_h = width / 2, 78, 24, 40
    half = middle - label_w / 2 - 84  # room for the figure at the end of each bar
    total = sum(cells.values())
    peak = max(
        [cells.get((s, b), 0) for s in (FlowSex.FEMALE, FlowSex.MALE) for b in AgeBand] + [1]
    )
    parts = _open(width, height, title, "pyramid")
    parts.append(
        format_html(
            '<text x="{}" y="14" text-anchor="end" fill="{}">{}</text>'
            '<text x="{}" y="14" fill="{}">{}</text>',
            _n(middle - label_w / 2 - 8),
            MALE,
            _("Men and boys"),
            _n(middle + label_w / 2 + 8),
            FEMALE,
            _("Women and girls"),
        )
    )
    for row, band in enumerate(BANDS_TOP_DOWN):
        y = top + row * row_h
        men, women = cells.get((FlowSex.MALE, band), 0), cells.get((FlowSex.FEMALE, band), 0)
        men_w, women_w = half * men / peak, half * women / peak
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>'
                '<text x="{}" y="{}" text-anchor="start" fill="{}">{}</text>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                _n(middle - label_w / 2 - men_w),
                y + 4,
                _n(men_w),
                row_h - 8,
                MALE,
                men,
                _n(middle + label_w / 2),
                y + 4,
                _n(women_w),
                row_h - 8,
                FEMALE,
                women,
                _n(middle),
                y + row_h / 2 + 4,
                INK,
                band.label,
                _n(middle + label_w / 2 + women_w + 3),
                y + row_h / 2 + 4,
                INK,
                _share(women, total),
                _n(middle - label_w / 2 - men_w - 3),
                y + row_h / 2 + 4,
                INK,
                _share(men, total),
            )
        )
    unknown = total - sum(
        cells.get((s, b), 0) for s in (FlowSex.FEMALE, FlowSex.MALE) for b in BANDS_TOP_DOWN
    )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
            _n(middle),
            height - 8,
            INK,
            _("Sex or age not known: %(n)s") % {"n": f"{unknown:,}"},
        )
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _share(part: int, total: int) -> str:
    return f"{part:,} ({100 * part / total:.0f} %)" if total else "0"


def bars(
    items: Sequence[tuple[str, int]], *, title: str, width: int = 480, row_h: int = 22
) -> SafeString:
    """Horizontal bars, largest first, with the value at the end of each bar."""
    label_w, value_w = 190, 70
    height = max(len(items), 1) * row_h + 8
    peak = max([n for _, n in items] + [1])
    parts = _open(width, height, title, "bars")
    for row, (label, value) in enumerate(items):
        y = 4 + row * row_h
        bar_w = (width - label_w - value_w) * value / peak
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                label_w - 6,
                y + row_h - 8,
                INK,
                escape(label if len(label) <= 30 else label[:29] + "…"),
                label_w,
                y + 2,
                _n(bar_w),
                row_h - 6,
                ENTRY,
                _n(label_w + bar_w + 4),
                y + row_h - 8,
                INK,
                f"{value:,}",
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
