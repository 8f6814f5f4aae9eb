"""The daily flow series as CSV, XLSX and JSON, with an HXL hashtag row (mapping in
docs/flows.md): one row per local day, point, direction, nationality and source, with the
people by sex and age band. Rows are read in index order and written as they go, so the size
of an export does not change the memory it needs."""

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.flows.models import AgeBand, FlowSex
from hbm.flows.selectors import FlowFilters, daily_rows
from hbm.lib import streams
from hbm.lib.permissions import require_role
from hbm.places.models import BorderCrossingPoint

EXPORTERS = ("coordinator", "administrator", "flow_enumerator")
FORMATS = ("csv", "xlsx", "json")
TOO_MANY_FOR_XLSX = _(
    "{rows} rows do not fit in one worksheet ({limit} at most); export CSV or JSON, or choose "
    "a shorter period."
)
CHUNK = 5_000

AGE_ATTRIBUTES = {
    AgeBand.CHILD_0_4: "+children+age0_4",
    AgeBand.CHILD_5_17: "+children+age5_17",
    AgeBand.ADULT_18_59: "+adults+age18_59",
    AgeBand.OLDER_60: "+elderly+age60plus",
    AgeBand.UNKNOWN: "+age_unknown",
}


def _cell_columns() -> list[tuple[str, str, str, str]]:
    """(column, HXL hashtag, sex, age band) of every count column after the total."""
    columns: list[tuple[str, str, str, str]] = []
    for sex, word, attribute in (
        (FlowSex.FEMALE, "female", "+f"),
        (FlowSex.MALE, "male", "+m"),
    ):
        for band in AgeBand:
            suffix = band.value.replace("-", "_").replace("+", "_plus")
            columns.append(
                (f"{word}_{suffix}", f"#population{attribute}{AGE_ATTRIBUTES[band]}", sex, band)
            )
    columns.append(("sex_unknown", "#population+sex_unknown", FlowSex.UNKNOWN, ""))
    return columns


CELLS = _cell_columns()
HEAD = [
    ("date", "#date+occurred"),
    ("crossing_point", "#loc+code"),
    ("crossing_point_name", "#loc+name"),
    ("latitude", "#geo+lat"),
    ("longitude", "#geo+lon"),
    ("country", "#country+code"),
    ("direction", "#indicator+direction"),
    ("nationality", "#country+code+nationality"),
    ("source", "#meta+source"),
    ("people", "#population+ind"),
]
HEADERS = [name for name, _ in HEAD] + [name for name, _, _, _ in CELLS]
HASHTAGS = [tag for _, tag in HEAD] + [tag for _, tag, _, _ in CELLS]


def _records(rows: Any) -> Iterator[dict[str, Any]]:
    points = {
        p.pk: p
        for p in BorderCrossingPoint.objects.filter(
            pk__in=rows.order_by().values("crossing_point_id").distinct()
        )
    }
    ordered = rows.order_by(
        "crossing_point_id", "day", "direction", "nationality", "source"
    ).values_list(
        "crossing_point_id",
        "day",
        "direction",
        "nationality",
        "source",
        "sex",
        "age_band",
        "people",
    )
    for key, cells in groupby(ordered.iterator(chunk_size=CHUNK), key=lambda r: r[:5]):
        point_id, day, direction, nationality, source = key
        point = points[point_id]
        people = {(sex, band): n for *_, sex, band, n in cells}
        record = {
            "date": day.isoformat(),
            "crossing_point": point.code,
            "crossing_point_name": point.name,
            "latitude": float(point.latitude) if point.latitude is not None else None,
            "longitude": float(point.longitude) if point.longitude is not None else None,
            "country": point.country_id,
            "direction": direction,
            "nationality": nationality,
            "source": source,
            "people": sum(people.values()),
        }
        for name, _tag, sex, band in CELLS:
            if band:
                record[name] = people.get((sex, band), 0)
            else:
                record[name] = sum(n for (s, _band), n in people.items() if s == sex)
        yield record


def _table(rows: Any) -> Iterator[list[Any]]:
    yield HEADERS
    yield HASHTAGS
    for record in _records(rows):
        yield ["" if (v := record[name]) is None else v for name in HEADERS]


def flow_export(*, actor: User, filters: FlowFilters, file_format: str) -> Any:
    """Check the role, audit the export, and return what the response streams: text chunks
    for CSV and JSON, a rewound temporary file for XLSX."""
    require_role(actor, *EXPORTERS)
    rows = daily_rows(user=actor, filters=filters)
    if file_format == "xlsx":
        # one row per group of cells at most: a cheap upper bound to refuse early
        groups = (
            rows.values("crossing_point_id", "day", "direction", "nationality", "source")
            .distinct()
            .count()
        )
        if groups + 2 > streams.XLSX_MAX_ROWS:
            raise ValidationError(
                {"format": str(TOO_MANY_FOR_XLSX).format(rows=groups, limit=streams.XLSX_MAX_ROWS)}
            )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="flows.flowdaily",
        detail=f"{file_format} flow export {filters.start}..{filters.end} "
        + " ".join(f"{k}={v}" for k, v in _where(filters).items()),
    )
    if file_format == "csv":
        return streams.csv_stream(_table(rows))
    if file_format == "xlsx":
        return streams.xlsx_file(_table(rows), sheet="flows")
    head = {
        "start": filters.start,
        "end": filters.end,
        "filters": _where(filters),
        "hxl": dict(zip(HEADERS, HASHTAGS, strict=True)),
    }
    return streams.json_stream(_records(rows), head=head)


def _where(filters: FlowFilters) -> dict[str, str]:
    names = ("country", "area", "point", "nationality", "direction")
    return {name: getattr(filters, name) for name in names if getattr(filters, name)}
