"""What the charts are made of: plain frozen data, laid out by an app's ``charts`` module
and drawn as SVG by its ``charts/*.svg.html`` templates (markup lives in templates only)."""

from dataclasses import dataclass, field
from typing import ClassVar

INK = "#1d2733"
GRID = "#c9d1d9"

Point = tuple[float, float]


def rounded(value: float) -> float:
    """A coordinate to a tenth of a unit: finer is invisible and only makes the page longer."""
    return round(float(value), 1)


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    """The frame every chart template draws: the size in SVG units, the title (also the
    accessible name) and ``kind``, the CSS class that styles it (and that tests look for)."""

    kind: ClassVar[str]
    title: str
    width: int
    height: int
    ink: str = field(default=INK, kw_only=True)
    grid: str = field(default=GRID, kw_only=True)
