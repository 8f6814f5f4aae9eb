"""What other capabilities add to the flow series without this app knowing them: a callback
told which points' series an enumerator's tally changed (early warning queues a detection)."""

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
