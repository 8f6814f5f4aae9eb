"""Every write of security screening, one module per area: ``watchlists`` (creating, loading,
removing entries), ``hits`` (recorded by screening, decided by officers) and ``rescreen``
(every registration again, in the background, when a list changes). The names callers used
from the former ``services.py`` are re-exported here (``services.watchlist_load``)."""

from hbm.security.services.hits import (
    DECISIONS,
    NOT_A_DECISION,
    REASON_REQUIRED,
    SECURITY_ROLES,
    hit_decide,
)
from hbm.security.services.watchlists import (
    BAD_ACTION,
    BAD_DATE,
    BAD_JSON,
    BAD_TEXT,
    COLUMNS,
    DUPLICATE_ID,
    HXL,
    NO_ENTRIES,
    NO_ID,
    NO_NAME,
    NOT_YOUR_AGENCY,
    SAMPLE_SIZE,
    LoadSummary,
    entry_remove,
    watchlist_create,
    watchlist_field_screening_set,
    watchlist_load,
    watchlist_load_check,
)

__all__ = [
    "BAD_ACTION",
    "BAD_DATE",
    "BAD_JSON",
    "BAD_TEXT",
    "COLUMNS",
    "DECISIONS",
    "DUPLICATE_ID",
    "HXL",
    "NOT_A_DECISION",
    "NOT_YOUR_AGENCY",
    "NO_ENTRIES",
    "NO_ID",
    "NO_NAME",
    "REASON_REQUIRED",
    "SAMPLE_SIZE",
    "SECURITY_ROLES",
    "LoadSummary",
    "entry_remove",
    "hit_decide",
    "watchlist_create",
    "watchlist_field_screening_set",
    "watchlist_load",
    "watchlist_load_check",
]
