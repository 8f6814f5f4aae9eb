"""Every write of flow monitoring, one module per area: ``counts`` (tallies recorded and
voided), ``rollup`` (the daily series kept in step with registrations and tallies) and
``rebuilds`` (the series rebuilt in the background). The names callers used from the former
``services.py`` are re-exported here (``services.flow_count_record``)."""

from hbm.flows.services.counts import (
    ALREADY_VOID,
    COUNTING_ROLES,
    NOT_YOUR_POINT,
    REASON_REQUIRED,
    REPLAY_DIFFERS,
    UNKNOWN_POINT,
    CountConflict,
    CountResult,
    flow_count_record,
    flow_count_void,
)

__all__ = [
    "ALREADY_VOID",
    "COUNTING_ROLES",
    "NOT_YOUR_POINT",
    "REASON_REQUIRED",
    "REPLAY_DIFFERS",
    "UNKNOWN_POINT",
    "CountConflict",
    "CountResult",
    "flow_count_record",
    "flow_count_void",
]
