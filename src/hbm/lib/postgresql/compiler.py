from typing import Any

from django.db.backends.postgresql.compiler import *  # noqa: F403  (the other compilers)
from django.db.backends.postgresql.compiler import SQLInsertCompiler as UnnestInsertCompiler
from django.db.models.sql.compiler import SQLInsertCompiler as ValuesInsertCompiler

# Up to this many values, a bulk insert is one VALUES list. Django sends every bulk insert
# as UNNEST over one array per column, which spares the server planning long VALUES lists,
# but psycopg builds those arrays as text in Python (escaping JSON character by character),
# which cost a registration more than the server saved. Beyond it, UNNEST keeps the number
# of parameters of a statement small.
VALUES_UP_TO = 1_000


# Django looks compilers up by name: this one replaces the star-imported one.
class SQLInsertCompiler(UnnestInsertCompiler):  # type: ignore[no-redef]
    def assemble_as_sql(
        self, fields: Any, value_rows: Any
    ) -> tuple[list[list[str]], list[list[Any]]]:
        if len(value_rows) * len(fields) <= VALUES_UP_TO:
            return ValuesInsertCompiler.assemble_as_sql(self, fields, value_rows)
        return super().assemble_as_sql(fields, value_rows)
