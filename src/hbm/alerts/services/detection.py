"""Running a point's detectors over its arrivals and turning their signals into alerts: one
open alert per point, detector and nationality, raised on the first day of a signal and
kept up to date on the days after (its level only rises while it is open). Days already
covered by a closed alert raise nothing again."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from hbm.alerts import detectors
from hbm.alerts.models import Alert, DetectorConfig
from hbm.alerts.selectors import OPEN, detector_config_for
from hbm.flows.selectors import arrivals_by_day
from hbm.places.models import BorderCrossingPoint

HISTORY_DAYS = 7 * detectors.DOW_WEEKS + detectors.DOW_GUARD  # what the baselines look back
SCAN_DAYS = 7  # as data arrives: the last week (late tallies change recent days)
EVIDENCE_DAYS = 28
MIN_NATIONALITY_PEOPLE = 30  # a nationality's series is watched from this many arrivals


@dataclass(frozen=True)
class Change:
    alert: Alert
    raised: bool
    level_rose: bool


def local_today(point: BorderCrossingPoint) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(point.time_zone)).date()


def detect_point_by_id(*, point_id: int, days: int = SCAN_DAYS) -> list[Change]:
    point = BorderCrossingPoint.objects.filter(pk=point_id).first()
    return [] if point is None else detect_point(point=point, days=days)


def detect_all(*, days: int = SCAN_DAYS, point: str = "") -> int:
    """Every point (or the one with this code): the alerts raised or raised to a higher level."""
    points = BorderCrossingPoint.objects.order_by("code")
    if point:
        points = points.filter(code=point)
    return sum(
        1
        for found in points
        for change in detect_point(point=found, days=days)
        if change.raised or change.level_rose
    )


def detect_point(
    *, point: BorderCrossingPoint, days: int = SCAN_DAYS, today: date | None = None
) -> list[Change]:
    """Run the point's detectors on the ``days`` days up to ``today`` (its local day)."""
    config = detector_config_for(point=point)
    end = today or local_today(point)
    start = end - timedelta(days=days + HISTORY_DAYS - 1)
    series = arrivals_by_day(
        point=point, start=start, end=end, by_nationality=config.by_nationality
    )
    # before the first arrival on record the point was not reporting: that is no data, not
    # days of nobody (else a new point's first figures would look like a surge)
    first = next((n for n, people in enumerate(series[""]) if people), len(series[""]))
    start += timedelta(days=first)
    days = min(days, len(series[""]) - first)
    changes: list[Change] = []
    for nationality, values in sorted(series.items()):
        values = values[first:]
        if nationality and sum(values) < MIN_NATIONALITY_PEOPLE:
            continue
        for name in config.detectors:
            if nationality and name == detectors.CAPACITY:
                continue  # capacity is the point's, for everyone
            signals = detectors.detect(
                name,
                values,
                first_weekday=start.weekday(),
                daily_capacity=point.daily_capacity,
                settings=config.engine_settings(),
            )
            changes += _apply(point, config, nationality, name, start, signals, days)
    return changes


def _apply(
    point: BorderCrossingPoint,
    config: DetectorConfig,
    nationality: str,
    name: str,
    start: date,
    signals: list[detectors.Signal],
    days: int,
) -> list[Change]:
    changes = []
    first_scanned = len(signals) - days
    for index in range(max(first_scanned, 0), len(signals)):
        signal = signals[index]
        if signal.alarm:
            day = start + timedelta(days=index)
            evidence = _evidence(start, signals, index)
            change = alert_signal(
                point=point,
                nationality=nationality,
                detector=name,
                day=day,
                signal=signal,
                evidence=evidence,
            )
            if change is not None:
                changes.append(change)
    return changes


def _evidence(start: date, signals: list[detectors.Signal], index: int) -> dict[str, list]:  # type: ignore[type-arg]
    first = max(0, index - EVIDENCE_DAYS + 1)
    shown = signals[first : index + 1]
    return {
        "days": [(start + timedelta(days=first + n)).isoformat() for n in range(len(shown))],
        "observed": [s.observed for s in shown],
        "expected": [s.expected for s in shown],
        "threshold": [s.threshold for s in shown],
    }


@transaction.atomic
def alert_signal(
    *,
    point: BorderCrossingPoint,
    nationality: str,
    detector: str,
    day: date,
    signal: detectors.Signal,
    evidence: dict[str, list],  # type: ignore[type-arg]
) -> Change | None:
    """Raise the alert of a signal day, or bring the open one up to date; None when a
    closed alert already covered the day."""
    from hbm.alerts.services.alerts import notify_on_commit

    key = {"crossing_point": point, "detector": detector, "nationality": nationality}
    closed_until = (
        Alert.objects.filter(**key, status=Alert.Status.CLOSED)
        .order_by("-last_day")
        .values_list("last_day", flat=True)
        .first()
    )
    if closed_until is not None and day <= closed_until:
        return None
    alert = Alert.objects.select_for_update().filter(**key, status__in=OPEN).first()
    assert signal.level is not None
    figures = {
        "observed": signal.observed,
        "expected": signal.expected,
        "threshold": signal.threshold,
        "evidence": evidence,
    }
    if alert is None:
        alert = Alert.objects.create(
            **key, level=signal.level, first_day=day, last_day=day, **figures
        )
        notify_on_commit(alert, alert.level)
        return Change(alert, raised=True, level_rose=False)
    if day < alert.last_day:
        return None  # an older day than the alert already holds: nothing new
    rose = detectors.level_rank(signal.level) > detectors.level_rank(alert.level)
    if rose:
        alert.level = signal.level
    if day > alert.last_day or rose or figures["evidence"] != alert.evidence:
        alert.last_day = day
        for name, value in figures.items():
            setattr(alert, name, value)
        alert.save()
    if rose:
        notify_on_commit(alert, alert.level)
    return Change(alert, raised=False, level_rose=rose)
