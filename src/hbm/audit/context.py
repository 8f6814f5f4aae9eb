"""Where a request came from, carried to the audit service without passing requests around."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


# RequestOrigin is frozen, so sharing the default instance is safe.
current_origin: ContextVar[RequestOrigin] = ContextVar(
    "current_origin",
    default=RequestOrigin(),  # noqa: B039
)
