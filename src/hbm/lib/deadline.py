"""Each web and API request gets a deadline for its database work (``REQUEST_TIME_LIMIT``
seconds, ``HBM_REQUEST_TIME_LIMIT`` in the environment).

On PostgreSQL the server cancels any statement that runs past the limit
(``statement_timeout``, set for the request and reset after it); on SQLite a progress handler
interrupts a statement once the deadline has passed. Between statements, a statement that
would start after the deadline is refused. Either way the view sees ``RequestTimedOut``: its
transactions roll back and the client gets a 503 that says to narrow the request.

Only requests are bounded: the task worker and management commands never pass through the
middleware. A streamed body (an export) is read after the middleware has returned, so it is
not bounded either, and the next request on the connection starts without the bound. Work a
request does for every later one, such as building an in-memory index, runs ``unbounded()``:
it is not cut, and its time does not count against the request.
"""

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

TOO_SLOW = "The request took too long; narrow the search (fewer days, a crossing point, a name)."
# Transaction control still runs past the deadline, so that the work done rolls back.
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK")
# SQLite calls the progress handler every this many virtual machine instructions: often enough
# for a deadline to stop a statement promptly, rarely enough to cost nothing measurable.
PROGRESS_STEPS = 10_000


class RequestTimedOut(DatabaseError):
    """The request's database work passed its deadline."""


_current: ContextVar["_Deadline | None"] = ContextVar("request_deadline", default=None)


class _Deadline:
    """The execute wrapper that bounds one request's statements on one connection."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.raw_connection: Any = None
        self.suspended = False

    def passed(self) -> bool:
        return not self.suspended and time.monotonic() >= self.ends

    @contextmanager
    def suspend(self) -> Iterator[None]:
        if self.suspended:
            yield
            return
        started = time.monotonic()
        self.suspended = True
        try:
            yield
        finally:
            self.suspended = False
            self.ends += time.monotonic() - started

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if self.suspended:
            return self._unbounded(execute, sql, params, many, context)
        if self.passed() and not sql.startswith(TRANSACTION_CONTROL):
            raise RequestTimedOut(TOO_SLOW)
        self._arm(context["connection"])
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            if self.passed() or _is_cancel(error):
                raise RequestTimedOut(TOO_SLOW) from error
            raise

    def _unbounded(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        """Run a statement of work for later requests without the bound. SQLite's progress
        handler never interrupts while suspended. On PostgreSQL, lifting and restoring
        ``statement_timeout`` costs two round trips, and most such statements are short
        catch-ups: outside a transaction, one runs under the bound and, if the server cancels
        it, runs again unbounded; inside one, where a cancel would abort the transaction, the
        bound is lifted first."""
        db = context["connection"]
        if db.vendor != "postgresql" or db.connection is not self.raw_connection:
            return execute(sql, params, many, context)
        if not db.in_atomic_block:
            try:
                return execute(sql, params, many, context)
            except DatabaseError as error:
                if not _is_cancel(error):
                    raise
        self.disarm()
        return execute(sql, params, many, context)

    def _arm(self, db: Any) -> None:
        """Bound the (possibly just opened, or reopened) connection once."""
        if db.connection is self.raw_connection:
            return
        self.raw_connection = db.connection
        if db.vendor == "sqlite":
            db.connection.set_progress_handler(lambda: int(self.passed()), PROGRESS_STEPS)
        elif db.vendor == "postgresql":
            _statement_timeout(db, int(self.seconds * 1000))

    def disarm(self) -> None:
        raw, self.raw_connection = self.raw_connection, None
        if raw is None or raw is not connection.connection:
            return  # never armed, or closed since
        if connection.vendor == "sqlite":
            raw.set_progress_handler(None, PROGRESS_STEPS)
            return
        try:
            _statement_timeout(connection, 0)
        except DatabaseError:
            # The connection is unusable (an aborted transaction): close it rather than hand
            # the bound to the next request.
            connection.close()


@contextmanager
def unbounded() -> Iterator[None]:
    """Lift the request's deadline for this block, and stop its clock meanwhile."""
    deadline = _current.get()
    if deadline is None:
        yield
        return
    with deadline.suspend():
        yield


def _statement_timeout(db: Any, milliseconds: int) -> None:
    # set_config, not SET: a query with a parameter, which server-side binding and prepared
    # statements accept (SET takes no parameter and cannot be prepared).
    with db.connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])


def _is_cancel(error: DatabaseError) -> bool:
    cause = error.__cause__
    if isinstance(cause, sqlite3.OperationalError):
        return str(cause) == "interrupted"
    return getattr(cause, "sqlstate", None) == "57014"  # query_canceled


def plain_error_page(title: str, message: str, status: int) -> HttpResponse:
    """An error page that needs no database (the usual pages read the user's menu)."""
    html = render_to_string("plain_error.html", {"title": title, "message": message})
    return HttpResponse(html, status=status)


class RequestDeadlineMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.REQUEST_TIME_LIMIT
        if not seconds:
            return self.get_response(request)
        deadline = _Deadline(seconds)
        token = _current.set(deadline)
        try:
            with connection.execute_wrapper(deadline):
                return self.get_response(request)
        finally:
            _current.reset(token)
            deadline.disarm()

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestTimedOut):  # the API answers it in its own format
            return plain_error_page("Too slow", TOO_SLOW, 503)
        return None
