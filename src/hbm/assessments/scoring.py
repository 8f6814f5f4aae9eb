"""How an assessment's scores roll up. Pure functions over plain values, no database.

For a set of indicators (a dimension, or the whole template), with weight ``w`` and level
``s`` (0–4) for every *applicable* indicator — scored and not marked "not applicable"::

    percentage = 100 × Σ w·s / Σ 4·w

Indicators marked not applicable, and indicators not scored yet, are left out of both sums.
A dimension with no applicable indicator has no percentage (``None``). The overall
percentage uses the same formula over every applicable indicator of the template (it is not
the mean of the dimension percentages, so a dimension counts by its indicators' weights).
Gaps are applicable indicators below 4, sorted by ``(4 − s) × w``, largest first: the
lowest scores of the heaviest indicators come first. Strengths are those at 3 or 4.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MAX_LEVEL = 4
STRENGTH_LEVEL = 3  # implemented and trained, or tested
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    question: str
    dimension_code: str
    weight: Decimal
    level: int | None
    not_applicable: bool = False

    @property
    def applicable(self) -> bool:
        return self.level is not None and not self.not_applicable


@dataclass(frozen=True)
class Gap:
    code: str
    question: str
    dimension_code: str
    level: int
    weight: Decimal
    priority: Decimal


@dataclass
class DimensionResult:
    code: str
    title: str
    indicators: int = 0
    applicable: int = 0
    not_applicable: int = 0
    unscored: int = 0
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)

    @property
    def percentage(self) -> Decimal | None:
        return percentage(self.points, self.max_points)


@dataclass
class Results:
    dimensions: list[DimensionResult] = field(default_factory=list)
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    gaps: list[Gap] = field(default_factory=list)
    strengths: list[IndicatorScore] = field(default_factory=list)

    @property
    def overall(self) -> Decimal | None:
        return percentage(self.points, self.max_points)

    @property
    def unscored(self) -> int:
        return sum(d.unscored for d in self.dimensions)

    def by_code(self) -> dict[str, DimensionResult]:
        return {d.code: d for d in self.dimensions}


def percentage(points: Decimal, max_points: Decimal) -> Decimal | None:
    if not max_points:
        return None
    return (Decimal(100) * points / max_points).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def compute(dimensions: Sequence[tuple[str, str]], scores: Iterable[IndicatorScore]) -> Results:
    """``dimensions`` are (code, title) in template order; ``scores`` one per indicator."""
    results = Results(dimensions=[DimensionResult(code, title) for code, title in dimensions])
    by_code = results.by_code()
    gaps = []
    for item in scores:
        dim = by_code[item.dimension_code]
        dim.indicators += 1
        if item.not_applicable:
            dim.not_applicable += 1
            continue
        if item.level is None:
            dim.unscored += 1
            continue
        dim.applicable += 1
        dim.points += item.weight * item.level
        dim.max_points += item.weight * MAX_LEVEL
        if item.level >= STRENGTH_LEVEL:
            results.strengths.append(item)
        if item.level < MAX_LEVEL:
            gaps.append(
                Gap(
                    code=item.code,
                    question=item.question,
                    dimension_code=item.dimension_code,
                    level=item.level,
                    weight=item.weight,
                    priority=(MAX_LEVEL - item.level) * item.weight,
                )
            )
    results.points = sum((d.points for d in results.dimensions), Decimal(0))
    results.max_points = sum((d.max_points for d in results.dimensions), Decimal(0))
    results.gaps = sorted(gaps, key=lambda g: (-g.priority, g.level, g.code))
    return results


@dataclass(frozen=True)
class Delta:
    code: str
    title: str
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def deltas(before: Results, after: Results) -> list[Delta]:
    """Per-dimension change between two assessments of the same template family, matched by
    dimension code (a dimension present in only one of them has no change)."""
    old = before.by_code()
    rows = [
        Delta(d.code, d.title, old[d.code].percentage if d.code in old else None, d.percentage)
        for d in after.dimensions
    ]
    rows.append(Delta("overall", "", before.overall, after.overall))
    return rows
