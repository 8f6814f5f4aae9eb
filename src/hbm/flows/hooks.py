"""What other capabilities add to the flow series without this app knowing them: a callback
told which points' series an enumerator's tally changed (early warning queues a detection),
and sections of the dashboard for one point (early warning shows its forecast)."""

from collections.abc import Callable

SeriesChanged = Callable[[set[int]], None]

_series_changed: list[SeriesChanged] = []


def on_tally_changed(callback: SeriesChanged) -> None:
    """Called with the primary keys of the points whose series a tally recorded or voided
    changed, inside that transaction."""
    if callback not in _series_changed:
        _series_changed.append(callback)


def tally_changed(point_ids: set[int]) -> None:
    for callback in _series_changed:
        callback(point_ids)


PointSection = Callable[..., str]

_point_sections: list[PointSection] = []


def on_point_section(callback: PointSection) -> None:
    """A part of the dashboard shown when it is filtered to one crossing point (early warning
    adds the point's forecast): the callback is called with ``user`` and ``code`` and answers
    the HTML to show, or "" to show nothing."""
    if callback not in _point_sections:
        _point_sections.append(callback)


def point_sections(*, user: object, code: str) -> list[str]:
    return [html for callback in _point_sections if (html := callback(user=user, code=code))]
