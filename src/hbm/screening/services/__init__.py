"""Every write of screening, one module per area: ``protection`` (protection screenings and
their specific-needs codes), ``health`` (migration health screening) and ``tracing_requests``
(family tracing). The names callers used from the former ``services.py`` are re-exported
here (``services.screening_record``)."""

from hbm.screening.services.protection import (
    AGE_UNKNOWN,
    DOES_NOT_APPLY,
    NO_TAXONOMY,
    NOT_A_CHOICE,
    SCREENERS,
    SEX_NOT_STATED,
    UASC_CODES,
    UNKNOWN_CODE,
    UNKNOWN_QUESTION,
    current_taxonomy,
    screening_record,
    subject_of,
)

__all__ = [
    "AGE_UNKNOWN",
    "DOES_NOT_APPLY",
    "NOT_A_CHOICE",
    "NO_TAXONOMY",
    "SCREENERS",
    "SEX_NOT_STATED",
    "UASC_CODES",
    "UNKNOWN_CODE",
    "UNKNOWN_QUESTION",
    "current_taxonomy",
    "screening_record",
    "subject_of",
]
