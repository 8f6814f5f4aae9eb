"""Flow dashboard at national scale: dashboard and API series latency over 10 million
crossings, the daily series' rebuild, and CSV/JSON exports of a million rows.

    python bench/flows/dashboard.py [--crossings 10000000] [--database-url postgres://...]
    python bench/flows/dashboard.py --var-dir /tmp/hbm-flows-bench-sqlite   # reuse, no fill

It builds a throw-away database (SQLite in /tmp/hbm-flows-bench-sqlite, or a `hbm_flows_bench`
database on the given PostgreSQL server): `hbm migrate`, `hbm demo load`, forty more crossing
points, N crossings over the 730 days before today and daily tallies (see flow_fill.py); then
times `rollup.rebuild()`, the dashboard queries in this process (the ORM calls the web view
makes) as a national coordinator and as an officer of one point, the weekly API series, and
exports streamed to /dev/null in fresh processes (peak RSS sampled every 50 ms). The database
is kept for reruns with --var-dir (with PostgreSQL, --var-dir reuses `hbm_flows_bench`).
Writes a section into docs/benchmarks.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).parent))
from matching._report import machine, write_section  # noqa: E402

HBM = str(ROOT / ".venv" / "bin" / "hbm")
DATABASE = "hbm_flows_bench"
DEFAULT_VAR = {"SQLite": "/tmp/hbm-flows-bench-sqlite", "PostgreSQL": "/tmp/hbm-flows-bench-pg"}
STATS = "flows-bench.json"
TARGET_MS = 300.0
EXPORT_SMALL = 100_000
EXPORT_LARGE = 1_000_000
BIG_POINT = "goma-grande-barriere"


def sh(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def environment(args: argparse.Namespace) -> tuple[dict[str, str], str, str, bool]:
    """(environment for hbm, engine name, var dir, reuse) — prepares an empty database
    unless --var-dir asks to reuse one."""
    engine = "PostgreSQL" if args.database_url else "SQLite"
    reuse = bool(args.var_dir)
    var = args.var_dir or DEFAULT_VAR[engine]
    env = {
        **os.environ,
        "HBM_VAR_DIR": var,
        "DEBUG": "",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "hbm.settings",
    }
    env.pop("DATABASE_URL", None)
    if not reuse:
        shutil.rmtree(var, ignore_errors=True)
    Path(var).mkdir(parents=True, exist_ok=True)
    if args.database_url:
        import psycopg

        base = args.database_url.rstrip("/").rsplit("/", 1)[0]
        if not reuse:
            with psycopg.connect(args.database_url, autocommit=True) as server:
                server.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
                server.execute(f"CREATE DATABASE {DATABASE}")
        env["DATABASE_URL"] = f"{base}/{DATABASE}"
    return env, engine, var, reuse


def prepare(env: dict[str, str], var: str, crossings: int, seed: int) -> dict[str, Any]:
    """Migrate, load the demo, fill; time the rebuild. Returns the statistics (also saved)."""
    started = time.perf_counter()
    sh([HBM, "migrate", "-v0"], env)
    sh([HBM, "demo", "load", "--scale", "0.1"], env)
    setup = time.perf_counter() - started
    print(f"migrated and demo loaded in {setup:.0f} s; filling", flush=True)
    from flow_fill import fill

    stats = fill(crossings, seed=seed)
    stats["setup_seconds"] = round(setup, 1)
    print(f"filled: {stats}", flush=True)
    stats.update(rebuild())
    stats["filled_on"] = datetime.now(UTC).date().isoformat()
    Path(var, STATS).write_text(json.dumps(stats, indent=1))
    return stats


def analyze() -> None:
    """On PostgreSQL, VACUUM ANALYZE the flow tables: what autovacuum does shortly after a
    rebuild (statistics for the planner, visibility map for index-only scans)."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in apps.get_app_config("flows").get_models():
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


def series_sizes() -> dict[str, int]:
    """Rows of each table of the flows app that the rebuild writes."""
    from django.apps import apps

    names = ("FlowDaily", "FlowRollup")
    models = [m for m in apps.get_app_config("flows").get_models() if m.__name__ in names]
    return {m.__name__: m.objects.count() for m in models}


def fingerprint() -> str:
    """Which version of src/hbm/flows was measured (no git here): sha256 of its Python
    files and the time of the newest."""
    import hashlib

    files = sorted((ROOT / "src" / "hbm" / "flows").rglob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    newest = max(path.stat().st_mtime for path in files)
    stamp = datetime.fromtimestamp(newest, UTC)
    return f"{digest.hexdigest()[:12]} (newest file {stamp:%Y-%m-%d %H:%M} UTC)"


class PeakRSS:
    """This process's resident memory, sampled every 50 ms in a thread: before and peak (MB)."""

    def __enter__(self) -> "PeakRSS":
        import psutil

        self.process = psutil.Process()
        self.baseline = self.peak = self.process.memory_info().rss / 2**20
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss / 2**20)
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss / 2**20)


def rebuild() -> dict[str, Any]:
    from hbm.flows.services import rollup

    def progress(done: int) -> None:
        print(f"  rebuild: {done:,} months done", flush=True)

    started = time.perf_counter()
    with PeakRSS() as memory:
        rows = rollup.rebuild(progress=progress)
    seconds = time.perf_counter() - started
    print(f"rebuild: {rows:,} rows in {seconds:.0f} s, peak RSS {memory.peak:,.0f} MB", flush=True)
    analyze()
    return {
        "rebuild_seconds": round(seconds, 1),
        "rebuild_rss_mb": round(memory.peak),
        "rebuild_rss_before_mb": round(memory.baseline),
        "series_rows": series_sizes(),
    }


class Timer:
    """Records every SQL statement's text, parameters and duration (execute_wrapper)."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str, Any]] = []

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql, params))

    def refetch(self) -> None:
        """Time each statement again with all its rows fetched: SQLite steps through a
        result as it is fetched, so execute() alone misses most of the work."""
        from django.db import connection

        timed = []
        for _ms, sql, params in self.queries:
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                timed.append(((time.perf_counter() - started) * 1000, sql, params))
        self.queries = timed


def cases(first_day: date) -> list[tuple[str, str, str, Callable[..., Any]]]:
    """(label, user, kind, call(user)) for every measured case."""
    from dataclasses import replace

    from django.utils import timezone

    from hbm.flows.selectors import FlowFilters, flow_dashboard, series

    today = timezone.localdate()
    whole = FlowFilters(start=first_day, end=today)
    month = FlowFilters.recent(30)
    span = f"all {(today - first_day).days + 1} days"
    boards = [
        ("last 30 days", "coordinator", month),
        ("last 90 days", "coordinator", FlowFilters.recent(90)),
        (span, "coordinator", whole),
    ]
    for label, where in (
        ("nationality SSD", {"nationality": "SSD"}),
        (f"point {BIG_POINT}", {"point": BIG_POINT}),
        ("country COD", {"country": "COD"}),
    ):
        boards.append((f"{label}, 30 days", "coordinator", replace(month, **where)))
        boards.append((f"{label}, {span}", "coordinator", replace(whole, **where)))
    boards += [
        ("last 30 days", "registration", month),
        ("last 90 days", "registration", FlowFilters.recent(90)),
        (span, "registration", whole),
    ]
    found: list[tuple[str, str, str, Callable[..., Any]]] = [
        (label, user, "dashboard", partial(flow_dashboard, filters=filters))
        for label, user, filters in boards
    ]
    year = FlowFilters.recent(365)
    found.append(
        (
            "last 365 days, week × point × sex",
            "coordinator",
            "series",
            partial(series, filters=year, interval="week", by=("point", "sex")),
        )
    )
    return found


def measure(first_day: date, repeat: int, warmup: int) -> list[dict[str, Any]]:
    from django.db import connection

    from hbm.accounts.models import User

    results = []
    for label, username, kind, call in cases(first_day):
        user = User.objects.get(username=username)
        for _ in range(warmup):
            call(user=user)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            call(user=user)
            samples.append((time.perf_counter() - started) * 1000)
        timer = Timer()
        with connection.execute_wrapper(timer):
            call(user=user)
        timer.refetch()
        slowest = max(timer.queries, key=lambda q: q[0])
        result = {
            "case": label,
            "user": username,
            "kind": kind,
            "p50": percentile(samples, 50),
            "p95": percentile(samples, 95),
            "max": max(samples),
            "queries": len(timer.queries),
            "slowest_ms": slowest[0],
            "slowest_sql": slowest[1],
            "slowest_params": list(slowest[2] or ()),
            "query_ms": [round(q[0], 1) for q in timer.queries],
        }
        results.append(result)
        print(
            f"{kind:9} {username:12} {label:44} p50 {result['p50']:8.1f} ms  p95"
            f" {result['p95']:8.1f} ms  ({len(timer.queries)} queries, slowest"
            f" {slowest[0]:.0f} ms)",
            flush=True,
        )
    return results


def explain(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan of the slowest query of every case over the target (once per statement)."""
    from django.db import connection

    plans: list[dict[str, Any]] = []
    seen: set[str] = set()
    postgres = connection.vendor == "postgresql"
    for result in sorted(results, key=lambda r: -r["p95"]):
        if result["p95"] < TARGET_MS:
            continue
        sql = result["slowest_sql"]
        shape = sql.split(" FROM ")[0] + str(len(result["slowest_params"]))
        if shape in seen:
            continue
        seen.add(shape)
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, result["slowest_params"])
            rows = cursor.fetchall()
        if postgres:
            plan = "\n".join(r[0] for r in rows)
        else:
            plan = "\n".join(f"{r[0]}|{r[1]}| {r[-1]}" for r in rows)
        plans.append({"case": f"{result['user']}: {result['case']}", "sql": sql, "plan": plan})
        print(f"\n-- plan for {result['user']}: {result['case']}\n{sql}\n{plan}\n", flush=True)
    return plans


def http_probe(first_day: date, repeat: int = 3) -> list[str]:
    """The dashboard page over the full Django stack (test client), if the URL exists: the
    default period and the whole data set; one warm-up, then `repeat` requests."""
    from django.test import Client
    from django.urls import Resolver404, resolve
    from django.utils import timezone

    from hbm.accounts.models import User

    try:
        resolve("/flows/")
    except Resolver404:
        return ["no `/flows/` URL in this tree yet (404): page not measured"]
    client = Client()
    client.force_login(
        User.objects.get(username="coordinator"),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    found = []
    whole = f"/flows/?start={first_day}&end={timezone.localdate()}"
    for label, url in (("default period (30 days)", "/flows/"), ("all data", whole)):
        status = client.get(url).status_code
        if status != 200:
            found.append(f"`GET {url}` answered {status}: not measured")
            continue
        took = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            took.append((time.perf_counter() - started) * 1000)
        found.append(
            f"`GET {url}` as coordinator, {label}: median {statistics.median(took):,.0f} ms, "
            f"max {max(took):,.0f} ms over {repeat} requests after a warm-up"
        )
        print(found[-1], flush=True)
    return found


def export_periods(first_day: date) -> dict[str, tuple[date, date, int]]:
    """Periods whose national export has about EXPORT_SMALL rows and all rows."""
    from django.db import connection
    from django.utils import timezone

    from hbm.flows.models import FlowDaily

    table = FlowDaily._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT day, COUNT(*) FROM (SELECT DISTINCT crossing_point_id, day, direction,"
            f" nationality, source FROM {table} WHERE people <> 0) cells GROUP BY day"
            " ORDER BY day DESC"
        )
        per_day = cursor.fetchall()
    today = timezone.localdate()
    total = sum(n for _, n in per_day)
    running, start = 0, today
    for day, n in per_day:
        running += n
        start = day if isinstance(day, date) else date.fromisoformat(day)
        if running >= EXPORT_SMALL:
            break
    return {"small": (start, today, running), "large": (first_day, today, total)}


def export_probe(file_format: str, start: str, end: str) -> None:
    """(Child process) stream one export to /dev/null; print rows, seconds and RSS."""
    import django

    django.setup()
    from hbm.accounts.models import User
    from hbm.flows.exports import flow_export
    from hbm.flows.selectors import FlowFilters

    actor = User.objects.get(username="coordinator")
    filters = FlowFilters(start=date.fromisoformat(start), end=date.fromisoformat(end))
    chunks, first = 0, None
    with PeakRSS() as memory, open(os.devnull, "w", encoding="utf-8") as sink:
        started = time.perf_counter()
        for chunk in flow_export(actor=actor, filters=filters, file_format=file_format):
            sink.write(chunk)
            chunks += 1
            if first is None and chunks == (4 if file_format == "csv" else 2):
                first = time.perf_counter() - started
        seconds = time.perf_counter() - started
    baseline, peak = memory.baseline, memory.peak
    rows = chunks - 3 if file_format == "csv" else chunks - 2  # BOM + 2 head rows / brackets
    print(
        json.dumps(
            {
                "format": file_format,
                "start": start,
                "end": end,
                "rows": rows,
                "seconds": seconds,
                "first_row_seconds": first,
                "baseline_mb": baseline,
                "peak_mb": peak,
            }
        )
    )


def exports(env: dict[str, str], first_day: date) -> list[dict[str, Any]]:
    periods = export_periods(first_day)
    found = []
    for file_format in ("csv", "json"):
        for size in ("small", "large"):
            start, end, _expected = periods[size]
            out = sh(
                [
                    sys.executable,
                    __file__,
                    "--export-probe",
                    file_format,
                    start.isoformat(),
                    end.isoformat(),
                ],
                env,
            )
            result = json.loads(out.strip().splitlines()[-1])
            found.append(result)
            print(
                f"export {file_format} {start}..{end}: {result['rows']:,} rows in"
                f" {result['seconds']:.1f} s, RSS {result['baseline_mb']:.0f} ->"
                f" {result['peak_mb']:.0f} MB",
                flush=True,
            )
    return found


def database_size(var: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        size = sum(p.stat().st_size for p in Path(var).glob("hbm.sqlite3*"))
    return f"{size / 2**30:.1f} GB"


def countries() -> int:
    from hbm.places.models import BorderCrossingPoint

    return BorderCrossingPoint.objects.values("country").distinct().count()


def server_settings() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}, the settings' pragmas (WAL), no ANALYZE run"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
        values = []
        for name in ("shared_buffers", "work_mem", "jit", "max_parallel_workers_per_gather"):
            cursor.execute(f"SHOW {name}")
            values.append(f"{name}={cursor.fetchone()[0]}")
    return f"PostgreSQL {version} (server defaults: {', '.join(values)}), VACUUM ANALYZE after fill"


def report(
    engine: str,
    args: argparse.Namespace,
    stats: dict[str, Any],
    results: list[dict[str, Any]],
    exported: list[dict[str, Any]],
    plans: list[dict[str, Any]],
    http: list[str],
    size: str,
    loads: tuple[float, float],
    code: tuple[str, str],
) -> str:
    pages = [r for r in results if r["kind"] != "series"]
    met = sum(r["p95"] < TARGET_MS for r in pages)
    sizes = ", ".join(f"{n:,} {name} rows" for name, n in stats["series_rows"].items())
    lines = [
        f"Machine: {machine()}. **Shared**: the 2 cores were also running another engineer's "
        f"test suite during this run (load average {loads[0]:.1f} at start, {loads[1]:.1f} at "
        f"end), so latencies carry noise. Database: {server_settings()}; {size}.",
        "",
        f"Data (filled {stats.get('filled_on', '?')}): {stats['crossings']:,} crossings by "
        f"{stats['persons']:,} persons in {stats['registrations']:,} registrations, "
        f"{stats['first_day']}..{stats['last_day']}, {stats['points']} crossing points (4 demo "
        f"+ 40) in {countries()} countries (UTC+1..+3), 50 nationalities (15 regional ones "
        f"84 %, a tail of 35 at 14 %, 2 % not stated), {stats['tallies']:,} daily tallies "
        f"({stats['tally_lines']:,} lines) at 6 flow monitoring points and 2 official points; "
        f"two surges. The series: {sizes}.",
        "",
        f"Fill (driver-level bulk insert, indexes built after): {stats['fill_seconds']:.0f} s "
        f"({stats['rows_seconds']:.0f} s rows, {stats['index_seconds']:.0f} s indexes; migrate "
        f"and demo {stats.get('setup_seconds', 0):.0f} s). "
        f"`rollup.rebuild()`: **{stats['rebuild_seconds']:.0f} s** (writes {sizes}; peak RSS "
        f"{stats.get('rebuild_rss_mb', 0):,} MB, {stats.get('rebuild_rss_before_mb', 0):,} MB "
        "before).",
        "",
        f"Code measured: `src/hbm/flows` {code[0]} (sha256 of its .py files; it was being "
        f"edited the same day){code[1]}.",
        "",
        f"Dashboard queries in-process (the ORM calls of the view: `flow_dashboard`, `series`), "
        f"{args.warmup} warm-ups then {args.repeat} timed runs per case; target p95 < "
        f"{TARGET_MS:.0f} ms: **met in {met} of {len(pages)} dashboard cases** (the API "
        "series row below is not a dashboard query; it is shown against the same bar).",
        "",
        "| case | user (scope) | queries | slowest query (ms, alone) | p50 (ms) | p95 (ms) "
        "| target | met? |",
        "|---|---|---|---|---|---|---|---|",
    ]
    scope = {"coordinator": "coordinator (national)", "registration": "registration (1 point)"}
    for r in results:
        kind = "API series: " if r["kind"] == "series" else ""
        lines.append(
            f"| {kind}{r['case']} | {scope[r['user']]} | {r['queries']} | {r['slowest_ms']:,.0f} "
            f"| {r['p50']:,.0f} | {r['p95']:,.0f} | < {TARGET_MS:.0f} | "
            f"{'yes' if r['p95'] < TARGET_MS else '**no**'} |"
        )
    lines += [
        "",
        "Dashboard page, full Django stack (test client: middleware, view, template; no network):",
        "",
        *(f"- {line}" for line in http),
        "",
        "Exports as coordinator (national), streamed to /dev/null in a fresh process; RSS "
        "sampled every 50 ms:",
        "",
        "| format | period | rows | time (s) | first row (s) | rows/s | RSS before / peak (MB) "
        "| growth (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in exported:
        lines.append(
            f"| {e['format']} | {e['start']}..{e['end']} | {e['rows']:,} | {e['seconds']:.1f} | "
            f"{e['first_row_seconds']:.1f} | {e['rows'] / e['seconds']:,.0f} | "
            f"{e['baseline_mb']:.0f} / {e['peak_mb']:.0f} | {e['peak_mb'] - e['baseline_mb']:.0f} |"
        )
    large = [e for e in exported if e["rows"] >= EXPORT_LARGE]
    if not large:
        lines += ["", f"**No period yields {EXPORT_LARGE:,} export rows in this data set.**"]
    if plans:
        lines += ["", "Plans of the slowest statement of the slowest cases:"]
        for plan in plans[:3]:
            lines += ["", f"{plan['case']}:", "", "```", plan["sql"], "", plan["plan"], "```"]
    reuse = f" --var-dir {DEFAULT_VAR[engine]}"
    url = " --database-url postgres://postgres@127.0.0.1:5432/postgres" if args.database_url else ""
    lines += [
        "",
        f"Command: `python bench/flows/dashboard.py --crossings {stats['crossings']}{url}`; "
        f"rerun the queries on the kept database with `…{url}{reuse}`.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crossings", type=int, default=10_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--var-dir", default="", help="reuse the database filled by a run")
    parser.add_argument("--rebuild", action="store_true", help="with --var-dir: time rebuild")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--export-probe", nargs=3, metavar=("FORMAT", "START", "END"))
    args = parser.parse_args()
    if args.export_probe:
        export_probe(*args.export_probe)
        return 0
    load_start = os.getloadavg()[0]
    env, engine, var, reuse = environment(args)
    os.environ.update(env)
    import django

    django.setup()
    # import the code measured now, once: it may be edited while this runs

    code = fingerprint()
    print(f"src/hbm/flows {code}", flush=True)
    if reuse:
        stats = json.loads(Path(var, STATS).read_text())
        if args.rebuild:
            stats.update(rebuild())
            Path(var, STATS).write_text(json.dumps(stats, indent=1))
        else:
            analyze()
    else:
        stats = prepare(env, var, args.crossings, args.seed)
    stats["series_rows"] = series_sizes()
    first_day = date.fromisoformat(stats["first_day"])
    results = measure(first_day, args.repeat, args.warmup)
    plans = explain(results)
    http = http_probe(first_day)
    exported = exports(env, first_day)
    body = report(
        engine,
        args,
        stats,
        results,
        exported,
        plans,
        http,
        database_size(var),
        (load_start, os.getloadavg()[0]),
        (code, "" if fingerprint() == code else "; **the files changed during the run**"),
    )
    print(body)
    if not args.no_write:
        write_section(
            f"flow-dashboard-{engine.lower()}",
            f"## Flow dashboard at national scale — {engine}\n\n{body}",
        )
    Path(var, f"results-{datetime.now(UTC):%Y-%m-%d-%H%M}.json").write_text(
        json.dumps({"results": results, "exports": exported, "plans": plans}, indent=1, default=str)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
