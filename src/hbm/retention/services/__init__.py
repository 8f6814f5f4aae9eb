"""Every write of retention: ``runs`` (a dry run or a purge of every policy, audited, and the
worker's daily schedule) and ``purging`` (what a purge does to each policy's records)."""

from hbm.retention.services.runs import (
    CHUNK_SIZE,
    DAILY_EVERY,
    NOT_ALLOWED,
    OPERATOR,
    RUNNERS,
    SCHEDULE,
    may_run,
    retention_daily_run,
    retention_run,
    retention_schedule,
)

__all__ = [
    "CHUNK_SIZE",
    "DAILY_EVERY",
    "NOT_ALLOWED",
    "OPERATOR",
    "RUNNERS",
    "SCHEDULE",
    "may_run",
    "retention_daily_run",
    "retention_run",
    "retention_schedule",
]
