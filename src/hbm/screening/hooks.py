"""What other capabilities add to screening without screening knowing them: a field
station's change log follows each screening recorded (ADR 0137)."""

from collections.abc import Callable
from typing import Any

ScreeningRecorded = Callable[[Any], None]

_screenings_recorded: list[ScreeningRecorded] = []


def on_screening_recorded(callback: ScreeningRecorded) -> None:
    """Called with a new ProtectionScreening or HealthScreening (its codes set), inside its
    transaction."""
    if callback not in _screenings_recorded:
        _screenings_recorded.append(callback)


def screening_recorded(screening: Any) -> None:
    for callback in _screenings_recorded:
        callback(screening)
