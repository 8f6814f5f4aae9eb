"""Every write of the registry, one module per area: ``registration`` (people, groups and
crossings), ``duplicates`` (decisions on candidate pairs, the rescan), ``corrections``,
``photos``, ``imports`` and ``exports``. Callers import the area's module
(``from hbm.registry.services import duplicates``); the names of ``registration``, the
registry's first service, are re-exported here as well (``services.registration_register``)."""

from hbm.registry.services.exports import EXPORTERS
from hbm.registry.services.registration import (
    CANDIDATES_PER_PERSON,
    PERSON_WRITERS,
    REGISTERING_ROLES,
    REGISTRATION_CANDIDATES,
    REPLAY_DIFFERS,
    REPLAY_REFUSED,
    REVIEW_THRESHOLD,
    SHOW_THRESHOLD,
    RegistrationConflict,
    RegistrationResult,
    Written,
    explanation_json,
    registration_register,
)

__all__ = [
    "CANDIDATES_PER_PERSON",
    "EXPORTERS",
    "PERSON_WRITERS",
    "REGISTERING_ROLES",
    "REGISTRATION_CANDIDATES",
    "REPLAY_DIFFERS",
    "REPLAY_REFUSED",
    "REVIEW_THRESHOLD",
    "SHOW_THRESHOLD",
    "RegistrationConflict",
    "RegistrationResult",
    "Written",
    "explanation_json",
    "registration_register",
]
