"""Hooks into a background run's chunks through Django's query wrappers (no mock of our code):
the run reads each chunk of a table in primary-key order, then computes and writes it."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, connections


def in_another_thread(action: Callable[[], object]) -> None:
    """Run ``action`` to its end in another thread, on a connection of its own (committing)."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            action()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


@contextmanager
def after_chunk_reads(table: str, action: Callable[[int], object]) -> Iterator[None]:
    """Call ``action(n)`` after this thread's n-th read of ``table`` in primary-key order."""
    reads = 0

    def wrapper(execute, sql, params, many, context):
        nonlocal reads
        result = execute(sql, params, many, context)
        if sql.startswith("SELECT") and f'ORDER BY "{table}"."id" ASC' in sql:
            reads += 1
            action(reads)
        return result

    with connection.execute_wrapper(wrapper):
        yield


@contextmanager
def failing_inserts(table: str, error: Exception, times: int | None = None) -> Iterator[list]:
    """Make this thread's inserts into ``table`` raise ``error`` (the first ``times`` only)."""
    raised: list[str] = []

    def wrapper(execute, sql, params, many, context):
        inserting = sql.startswith("INSERT") and f'INTO "{table}"' in sql
        if inserting and (times is None or len(raised) < times):
            raised.append(sql)
            raise error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield raised
