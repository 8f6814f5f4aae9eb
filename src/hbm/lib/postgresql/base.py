"""Django's PostgreSQL backend, with small bulk inserts written as VALUES lists
(docs/decisions/0008-small-bulk-inserts-as-values.md) whose parsing psycopg keeps
(docs/decisions/0143-psycopg-keeps-parsed-multi-row-statements.md)."""

from functools import lru_cache

from django.db.backends.postgresql import base, operations
from psycopg import _queries

# psycopg converts a statement's %s placeholders to $n in Python and keeps the result only
# for statements of at most 50 parameters: every registration's multi-row inserts and
# upserts (three persons' rows, the flow series' thirty) were parsed again each time, about
# 2 ms of a worker's CPU. Their forms are few (one per table and row count), and the length
# bound (4,096 bytes) still keeps out large generated statements such as imports'.
CACHED_STATEMENT_PARAMS = 1_000
CACHED_STATEMENTS = 1_024
if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", 0) < CACHED_STATEMENT_PARAMS:
    _queries.MAX_CACHED_STATEMENT_PARAMS = CACHED_STATEMENT_PARAMS
    _queries._query2pg = lru_cache(CACHED_STATEMENTS)(_queries._query2pg_nocache)


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "hbm.lib.postgresql.compiler"


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
