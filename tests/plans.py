"""Query plans of list pages, read on the test database: which lines read a big table whole,
and whether the rows come out in the page's order (so that the LIMIT stops the read after a
page) or are sorted after reading all that match.

On SQLite, EXPLAIN QUERY PLAN: "SCAN t" reads table t whole (in rowid or an index's order),
"SEARCH t USING INDEX i (a=?)" reads the range an index finds. On PostgreSQL, EXPLAIN with
sequential scans priced out first (tiny test tables make them the cheapest plan): a
"Seq Scan" that remains is one no index can serve."""

import re
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

# Tables that grow with the people who cross: 10⁵–10⁷ rows.
BIG_TABLES = (
    "registry_person",
    "registry_crossing",
    "security_hit",
    "referrals_referral",
    "screening_protectionscreening",
    "screening_healthscreening",
    "audit_auditevent",
    "flows_flowcount",
    "flows_flowdaily",
    "flows_flowrollup",
)
# Enough rows for the planners to see a page: the API's pages are 50 (+1 to see a next one).
PAGE = 51


def _plan(sql: str, params: tuple, priced_out: tuple[str, ...] = ("seqscan",)) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return [row[-1] for row in cursor.fetchall()]
        with transaction.atomic():
            for method in priced_out:
                cursor.execute(f"SET LOCAL enable_{method} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return [row[0] for row in cursor.fetchall()]


def _sql(queryset) -> tuple[str, tuple]:
    """The statement, or none for a query Django knows to be empty (``pk__in=[]``): it is
    never run."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return "", ()


def plan(queryset) -> list[str]:
    sql, params = _sql(queryset)
    return _plan(sql, params) if sql else []


def full_scans(queryset, tables: Iterable[str] = BIG_TABLES) -> list[str]:
    """The plan's lines that read one of ``tables`` whole."""
    tables = tuple(tables)
    sql, params = _sql(queryset)
    if not sql:
        return []
    lines = _plan(sql, params)
    if connection.vendor == "sqlite":
        # Tables in subqueries appear under their aliases (U0, V0...).
        aliases = set(re.findall(rf'"({"|".join(tables)})"(?: (\w+))?', sql))
        names = {name for pair in aliases for name in pair if name}
        return [line for line in lines if line.startswith("SCAN ") and line.split()[1] in names]
    return [line for line in lines if re.search(rf"Seq Scan on ({'|'.join(tables)})\b", line)]


def sorts(queryset) -> list[str]:
    """The plan's sort steps: with one, every matching row is read before the first is
    returned; without, rows come in the page's order and reading stops after a page. On
    PostgreSQL full sorts are priced out too, as sequential scans are: a tiny table is cheaper
    to sort than to read in an index's order, a big one is not. (An incremental sort, of the
    rows tied on an index's leading key, is not a full sort.)"""
    sql, params = _sql(queryset)
    if not sql:
        return []
    if connection.vendor == "sqlite":
        return [line for line in _plan(sql, params) if "TEMP B-TREE FOR ORDER BY" in line]
    lines = _plan(sql, params, priced_out=("seqscan", "sort"))
    return [line for line in lines if re.search(r"(^|->\s+)Sort\s+\(", line.strip())]


def api_page(queryset, ordering: tuple[str, ...], after: object = None):
    """The query django-ninja's CursorPagination runs for a page: its own ordering, from the
    cursor's position (``after``: the first ordering field's value on the last page)."""
    queryset = queryset.order_by(*ordering)
    if after is not None:
        field = ordering[0].lstrip("-")
        cmp = "lte" if ordering[0].startswith("-") else "gte"
        queryset = queryset.filter(**{f"{field}__{cmp}": after})
    return queryset[:PAGE]


def web_page(queryset, per_page: int, number: int = 1):
    """The rows Django's Paginator reads for page ``number``."""
    return queryset[(number - 1) * per_page : number * per_page]


def walks_in_order(queryset, table: str) -> bool:
    """Whether the page is read by walking ``table`` in the page's order, nothing sorted and
    no other big table read whole: bounded when (nearly) every row matches, as for a national
    role's unfiltered list, where the LIMIT stops the walk after a page."""
    others = [t for t in BIG_TABLES if t != table]
    return sorts(queryset) == [] and full_scans(queryset, others) == []
