"""A crossing point's arrivals forecast beside its reception capacity, for the readers of its
flow figures (the same scope as the dashboard's series). The history ends with the point's
last complete local day (yesterday); the forecast starts today. A fit is cached under the
series it was made from, so a new arrival makes a new forecast and a page view none. The
first forecast in a process imports statsmodels (seconds) outside the request's deadline."""

import hashlib
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.http import Http404

from hbm.accounts.models import User
from hbm.alerts import forecasting
from hbm.alerts.services.detection import local_today
from hbm.flows.selectors import arrivals_by_day, require_reader
from hbm.lib.deadline import unbounded
from hbm.places.models import BorderCrossingPoint
from hbm.places.selectors import crossing_point_list

NO_SUCH_POINT = "No such crossing point in your area of work."
SHOWN_DAYS = 28  # the observed days drawn before the forecast
CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class ForecastDay:
    day: date
    point: float | None
    lower_80: float | None
    upper_80: float | None
    lower_95: float | None
    upper_95: float | None
    capacity: int | None

    @property
    def gap(self) -> float | None:
        """Forecast arrivals minus what the point can receive (above zero: too many)."""
        if self.point is None or self.capacity is None:
            return None
        return round(self.point - self.capacity, 1)

    @property
    def upper_gap(self) -> float | None:
        if self.upper_80 is None or self.capacity is None:
            return None
        return round(self.upper_80 - self.capacity, 1)


@dataclass(frozen=True)
class PointForecast:
    crossing_point: BorderCrossingPoint
    method: str
    history_days: int
    observed_days: list[date]
    observed: list[int]
    days: list[ForecastDay]
    seconds: float  # the fit's time (0 when it came from the cache)

    @property
    def available(self) -> bool:
        return self.method != forecasting.TOO_SHORT

    @property
    def first_over_capacity(self) -> ForecastDay | None:
        return next((d for d in self.days if d.gap is not None and d.gap > 0), None)

    @property
    def first_upper_over_capacity(self) -> ForecastDay | None:
        return next((d for d in self.days if d.upper_gap is not None and d.upper_gap > 0), None)


def forecast_point_for_user(*, user: User, code: str) -> BorderCrossingPoint:
    """The point whose forecast the user asks for: 403 for who reads no flow figures, 404
    for a point outside the user's area of work (or none)."""
    require_reader(user)
    point = crossing_point_list(user=user).filter(code=code).first()
    if point is None:
        raise Http404(NO_SUCH_POINT)
    return point


def point_forecast(
    *, point: BorderCrossingPoint, horizon: int = forecasting.HORIZON, today: date | None = None
) -> PointForecast:
    """The forecast of the ``horizon`` days from ``today`` (the point's local day)."""
    first = today or local_today(point)
    end = first - timedelta(days=1)
    start = end - timedelta(days=forecasting.HISTORY_DAYS - 1)
    values = arrivals_by_day(point=point, start=start, end=end)[""]
    found, seconds = _cached_forecast(point.pk, values, horizon)
    capacity = point.daily_capacity
    days = [first + timedelta(days=n) for n in range(horizon)]

    def at(bounds: tuple[float, ...], n: int) -> float | None:
        return bounds[n] if found.available else None

    shown = min(SHOWN_DAYS, len(values))
    return PointForecast(
        crossing_point=point,
        method=found.method,
        history_days=found.history_days,
        observed_days=[end - timedelta(days=shown - 1 - n) for n in range(shown)],
        observed=values[-shown:],
        days=[
            ForecastDay(
                day,
                at(found.point, n),
                at(found.lower_80, n),
                at(found.upper_80, n),
                at(found.lower_95, n),
                at(found.upper_95, n),
                capacity,
            )
            for n, day in enumerate(days)
        ],
        seconds=seconds,
    )


def _cached_forecast(
    point_id: int, values: list[int], horizon: int
) -> tuple[forecasting.Forecast, float]:
    digest = hashlib.sha256(",".join(map(str, values)).encode()).hexdigest()[:32]
    key = f"hbm:forecast:{point_id}:{horizon}:{digest}"
    found = cache.get(key)
    if isinstance(found, forecasting.Forecast):
        return found, 0.0
    with unbounded():  # once per process, for every later request: not this one's time
        forecasting.load_model()
    started = time.perf_counter()
    found = forecasting.forecast(values, horizon=horizon)
    cache.set(key, found, CACHE_SECONDS)
    return found, round(time.perf_counter() - started, 3)
