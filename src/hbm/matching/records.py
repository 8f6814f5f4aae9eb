"""The canonical person record."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from hbm.matching.errors import InvalidRecordError, Problem

SEXES = frozenset({"", "F", "M", "X"})
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: Column names of the canonical schema, in CSV order.
FIELDS: tuple[str, ...] = (
    "id",
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "sex",
    "date_of_birth",
    "age_estimate",
    "nationality",
    "document_number",
    "document_type",
    "phone",
    "place_of_origin",
)


def date_problem(value: str) -> str | None:
    """Return why ``value`` is not a YYYY-MM-DD / YYYY-MM / YYYY date, or None if it is."""
    if value == "":
        return None
    m = _DATE_RE.match(value)
    if m is None:
        return f"date_of_birth {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY"
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if year < 1800:
        return f"date_of_birth {value!r} has an implausible year"
    try:
        date(year, int(month or 1), int(day or 1))
    except ValueError:
        return f"date_of_birth {value!r} is not a calendar date"
    return None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One registration of a person. Only ``id`` is required; empty string = unknown.

    ``date_of_birth`` is ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty; ``sex`` is
    ``F``, ``M``, ``X`` or empty; ``nationality`` is compared as ISO 3166 alpha-3 (alpha-2
    and English names are normalised, see :mod:`hbm.matching.countries`);
    ``document_type`` (e.g. ``passport``) tells whether two different document numbers are
    of the same kind; ``extra`` keeps columns the engine does not know so they pass
    through unchanged.
    """

    id: str
    given_name: str = ""
    family_name: str = ""
    father_name: str = ""
    other_names: str = ""
    sex: str = ""
    date_of_birth: str = ""
    age_estimate: int | None = None
    nationality: str = ""
    document_number: str = ""
    phone: str = ""
    place_of_origin: str = ""
    document_type: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidRecordError([Problem(0, p) for p in problems])

    def problems(self) -> list[str]:
        """All validation problems of this record (empty when valid)."""
        out: list[str] = []
        if not isinstance(self.id, str) or not self.id.strip():
            out.append("id is required")
        if self.sex not in SEXES:
            out.append(f"sex {self.sex!r} is not one of F, M, X or empty")
        why = date_problem(self.date_of_birth)
        if why:
            out.append(why)
        if self.age_estimate is not None and not 0 <= self.age_estimate <= 130:
            out.append(f"age_estimate {self.age_estimate!r} is outside 0..130")
        return out

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> PersonRecord:
        """Build a record from a mapping; unknown keys go to ``extra``."""
        known = {f.name for f in fields(cls)} - {"extra"}
        kwargs: dict[str, Any] = {}
        given_extra = row.get("extra")
        extra: dict[str, str] = dict(given_extra) if isinstance(given_extra, Mapping) else {}
        for key, value in row.items():
            if key == "extra" and isinstance(value, Mapping):
                continue
            if key in known:
                kwargs[key] = value
            else:
                extra[key] = "" if value is None else str(value)
        age = kwargs.get("age_estimate")
        if age in ("", None):
            kwargs["age_estimate"] = None
        elif not isinstance(age, int):
            try:
                kwargs["age_estimate"] = int(str(age).strip())
            except ValueError:
                raise InvalidRecordError(f"age_estimate {age!r} is not a whole number") from None
        for key in known - {"age_estimate"}:
            value = kwargs.get(key)
            kwargs[key] = "" if value is None else str(value).strip()
        sex = kwargs.get("sex", "")
        kwargs["sex"] = sex.upper()[:1] if sex else ""
        kwargs["nationality"] = kwargs.get("nationality", "").upper()
        return cls(extra=extra, **kwargs)

    def to_dict(self) -> dict[str, str]:
        """Flat string mapping (canonical columns then ``extra``), as written to CSV."""
        out = {name: getattr(self, name) for name in FIELDS}
        out["age_estimate"] = "" if self.age_estimate is None else str(self.age_estimate)
        out.update(self.extra)
        return {k: "" if v is None else str(v) for k, v in out.items()}
