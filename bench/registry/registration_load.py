"""Registration under load: POST /api/v1/registrations against gunicorn (2 workers) with
N persons already registered, and name search latency at that size.

    python bench/registry/registration_load.py --persons 1000000 [--database-url postgres://...]

It builds a throw-away database (SQLite in a temporary folder, or a `hbm_bench` database on
the given PostgreSQL server), loads the demo population scaled to N persons and a watchlist of
100,000 people from the caseload population (``--watchlist``), starts gunicorn
on 127.0.0.1, drives it from client threads on this machine (loopback only), and writes a table
into docs/benchmarks.md.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from matching._report import machine, write_section  # noqa: E402

PORT = 8765
HBM = str(ROOT / ".venv" / "bin" / "hbm")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SETUP = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hbm.settings');"
    "django.setup();"
)
PERSON_COUNT = "from hbm.registry.models import Person; print(Person.objects.count())"
ENTRY_COUNT = (
    "from hbm.security.models import WatchlistEntry; print(WatchlistEntry.objects.count())"
)
DEMO_SIZE = 19_207  # people in the demo population at scale 1


def sh(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout


def prepare(env: dict[str, str], persons: int, watchlist: int, reuse: bool) -> str:
    """Fill the database (unless reused), snapshot the index, issue a device token."""
    started = time.perf_counter()
    if not reuse:
        fill(env, persons, watchlist)
    # Workers load this snapshot when they start instead of each rebuilding the index.
    sh([HBM, "person_index", "save"], env)
    key = sh(
        [
            PYTHON,
            "-c",
            SETUP + "from hbm.accounts.models import User;"
            "from hbm.accounts.services import device_token_create;"
            "print(device_token_create(actor=User.objects.get(username='registration'),"
            " name='bench')[1])",
        ],
        env,
    ).strip()
    print(f"database and index ready in {time.perf_counter() - started:.0f} s", flush=True)
    return key


def fill(env: dict[str, str], persons: int, watchlist: int) -> None:
    sh([HBM, "migrate", "-v0"], env)
    sh([HBM, "demo", "load", "--scale", str(min(5.0, persons / DEMO_SIZE))], env)
    sh(
        [
            PYTHON,
            "-c",
            SETUP + "from bench_fill import fill, load_watchlist;"
            f"fill({persons}); load_watchlist({watchlist})",
        ],
        {**env, "PYTHONPATH": str(Path(__file__).parent)},
    )


def request(method: str, path: str, key: str, body: dict | None = None) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=900) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def family(rng: random.Random) -> dict:
    from hbm_names import random_family

    return {
        "id": str(uuid.uuid4()),
        "crossing_point": "mahagi-goli",
        "direction": "entry",
        "consent_given": True,
        "members": random_family(rng),
    }


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else 0.0


def drive(key: str, seconds: float, threads: int, seed: int) -> dict:
    sys.path.insert(0, str(Path(__file__).parent))
    latencies: list[float] = []
    finished: list[float] = []  # when each registration was answered
    errors: Counter[int] = Counter()  # by HTTP status
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        while time.perf_counter() < deadline:
            status, took = request("POST", "/api/v1/registrations", key, family(rng))
            with lock:
                if status == 201:
                    latencies.append(took)
                    finished.append(time.perf_counter())
                else:
                    errors[status] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(seed * threads, (seed + 1) * threads)))
    elapsed = time.perf_counter() - started
    return {
        "slowest_window": slowest_window(finished, started, seconds),
        "groups": len(latencies),
        "errors": sum(errors.values()),
        "statuses": ", ".join(f"{n} × HTTP {code}" for code, n in sorted(errors.items())),
        "rate": len(latencies) / elapsed,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
    }


def slowest_window(finished: list[float], started: float, seconds: float) -> tuple[float, float]:
    """(window length in seconds, the lowest rate over the run's whole windows): a rate that
    falls as the database grows shows here, not in the run's average."""
    window = 60 if seconds >= 120 else min(10, seconds)
    counts = Counter(int((at - started) // window) for at in finished)
    whole = range(max(int(seconds // window), 1))
    return window, min(counts[n] for n in whole) / window


def search(key: str, queries: int) -> dict:
    from hbm_names import random_name

    rng = random.Random(7)
    latencies = []
    failed: Counter[int] = Counter()  # by HTTP status
    for _ in range(queries):
        status, took = request(
            "GET", "/api/v1/persons?" + urllib.parse.urlencode({"name": random_name(rng)}), key
        )
        if status == 200:
            latencies.append(took)
        else:
            failed[status] += 1
    statuses = ", ".join(f"HTTP {s}: {n}" for s, n in sorted(failed.items()))
    return {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "failed": f"; failed {sum(failed.values())} ({statuses})" if failed else "",
    }


def _cpu_seconds(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.NoSuchProcess:  # a database backend that ended during the run
        return 0.0
    return times.user + times.system


def _database_processes() -> list[psutil.Process]:
    """The PostgreSQL server's processes on this machine (none for SQLite, which runs in the
    workers). A worker reconnects once its connection is a minute old (CONN_MAX_AGE), so
    backends that start during the run count whole; one that ends during it is not counted."""
    return [
        p for p in psutil.process_iter(["name"]) if p.info["name"] in ("postgres", "postmaster")
    ]


def _psql_system(env: dict[str, str], statement: str) -> None:
    sh(["psql", env["DATABASE_URL"], "-c", statement], env)
    sh(["psql", env["DATABASE_URL"], "-c", "SELECT pg_reload_conf()"], env)
    time.sleep(1)  # the server reads its configuration again asynchronously


def _autovacuum_on(env: dict[str, str]) -> bool:
    """Run with autovacuum as Debian ships the server (some test machines turn it off);
    True when it had to be turned on, and must be reset after the run."""
    if sh(["psql", env["DATABASE_URL"], "-Atc", "SHOW autovacuum"], env).strip() == "on":
        return False
    _psql_system(env, "ALTER SYSTEM SET autovacuum = on")
    return True


def _machine_busy_seconds() -> float:
    """CPU time used by every process on the machine (the database server's included)."""
    times = psutil.cpu_times()
    return times.user + times.system + getattr(times, "softirq", 0.0) + getattr(times, "irq", 0.0)


def reference_work_ms() -> float:
    """CPU time of a fixed piece of pure Python, the best of three: on a shared machine a CPU
    second is not always the same work, and this tells a slower machine from slower code."""

    def once() -> float:
        started = time.process_time()
        sum(i * i % 7 for i in range(2_000_000))
        return (time.process_time() - started) * 1000

    return min(once() for _ in range(3))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--watchlist", type=int, default=100_000, help="listed people")
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="another seed draws other families (rerunning one seed registers them again)",
    )
    parser.add_argument(
        "--var-dir",
        default="",
        help="keep the database here (SQLite in this folder, or hbm_bench) and reuse it"
        " when the folder is not empty",
    )
    args = parser.parse_args()
    var = args.var_dir or tempfile.mkdtemp(prefix="hbm-bench-")
    # An empty or new --var-dir is filled like a temporary one, and kept for the next run.
    reuse = bool(args.var_dir) and Path(var).is_dir() and any(Path(var).iterdir())
    Path(var).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HBM_VAR_DIR": var, "DEBUG": "", "ALLOWED_HOSTS": "127.0.0.1"}
    engine = "SQLite"
    if args.database_url:
        base = args.database_url.rstrip("/").rsplit("/", 1)[0]
        for statement in ("DROP DATABASE IF EXISTS hbm_bench", "CREATE DATABASE hbm_bench"):
            if not reuse:  # with a filled --var-dir, reuse the hbm_bench an earlier run filled
                sh(["psql", args.database_url, "-c", statement], env)
        env["DATABASE_URL"] = f"{base}/hbm_bench"
        engine = "PostgreSQL"
    else:
        env.pop("DATABASE_URL", None)
    key = prepare(env, args.persons, args.watchlist, reuse=reuse)
    reference_before = reference_work_ms()
    server_note = ""
    turned_on = False
    if args.database_url:
        # What autovacuum does on a server that runs it (some test machines' servers do not):
        # statistics, without which the planner scans a million persons instead of using the
        # updated_at index, and the flow series' dead row versions of earlier runs cleared.
        sh(["psql", env["DATABASE_URL"], "-c", "VACUUM ANALYZE"], env)
        turned_on = _autovacuum_on(env)
        autovacuum = sh(["psql", env["DATABASE_URL"], "-Atc", "SHOW autovacuum"], env).strip()
        server_note = f" (VACUUM ANALYZE before the run; autovacuum {autovacuum})"
    persons = int(sh([PYTHON, "-c", SETUP + PERSON_COUNT], env))
    listed = int(sh([PYTHON, "-c", SETUP + ENTRY_COUNT], env))
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "hbm.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        warm_started = time.perf_counter()
        for _ in range(600):
            try:
                request("GET", "/healthz", key)
                break
            except OSError:
                time.sleep(0.5)
        with ThreadPoolExecutor(4) as pool:  # both workers build their indexes
            warm_rng = random.Random(-1)
            answers = [
                *pool.map(lambda _: request("GET", "/api/v1/persons?name=warm", key), range(8)),
                *pool.map(
                    lambda _: request("POST", "/api/v1/registrations", key, family(warm_rng)),
                    range(8),
                ),
            ]
        failed = sorted({status for status, _took in answers if status not in (200, 201)})
        if failed:
            raise SystemExit(f"the warm-up failed: HTTP {', '.join(map(str, failed))}")
        warm = time.perf_counter() - warm_started
        workers = psutil.Process(server.pid).children()
        client = psutil.Process()
        database = _database_processes() if args.database_url else []
        busy_before = sum(_cpu_seconds(w) for w in workers)
        database_before = {p.pid: _cpu_seconds(p) for p in database}
        client_before = _cpu_seconds(client)
        machine_before = _machine_busy_seconds()
        load = drive(key, args.seconds, args.threads, args.seed)
        requests = max(load["groups"] + load["errors"], 1)
        busy = sum(_cpu_seconds(w) for w in workers) - busy_before
        load["cpu_ms"] = busy / requests * 1000
        database_after = _database_processes() if args.database_url else []
        database_busy = sum(
            max(_cpu_seconds(p) - database_before.get(p.pid, 0.0), 0) for p in database_after
        )
        load["database_cpu_ms"] = database_busy / requests * 1000
        load["client_cpu_ms"] = (_cpu_seconds(client) - client_before) / requests * 1000
        load["machine_cpu_ms"] = (_machine_busy_seconds() - machine_before) / requests * 1000
        found = search(key, args.searches)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if turned_on:
            _psql_system(env, "ALTER SYSTEM RESET autovacuum")
    reference_after = reference_work_ms()
    database_cpu = f"{load['database_cpu_ms']:.1f}" if database else "in the workers (SQLite)"
    table = (
        f"Machine: {machine()}. Database: {engine}{server_note}. "
        f"{persons:,} persons before the run; a watchlist of {listed:,} entries; "
        f"gunicorn 2 sync workers; {args.threads} client threads for {args.seconds:.0f} s; "
        f"start-up with index build {warm:.0f} s.\n\n"
        "| measure | value |\n|---|---|\n"
        f"| group registrations / s (sustained) | {load['rate']:.1f} |\n"
        f"| group registrations / s in the slowest {load['slowest_window'][0]:g} s | "
        f"{load['slowest_window'][1]:.1f} |\n"
        f"| registration latency p50 / p95 / p99 (ms) | {load['p50']:.0f} / {load['p95']:.0f} / "
        f"{load['p99']:.0f} |\n"
        f"| registrations done / failed | {load['groups']} / {load['errors']}"
        f"{' (' + load['statuses'] + ')' if load['statuses'] else ''} |\n"
        f"| server CPU per registration, both workers (ms) | {load['cpu_ms']:.1f} |\n"
        f"| database server CPU per registration (ms) | {database_cpu} |\n"
        f"| load generator CPU per registration (ms) | {load['client_cpu_ms']:.1f} |\n"
        f"| whole machine CPU per registration, all processes (ms) | "
        f"{load['machine_cpu_ms']:.1f} |\n"
        f"| reference CPU work before / after the run (ms; lower is a faster CPU) | "
        f"{reference_before:.0f} / {reference_after:.0f} |\n"
        f"| name search as the point's officer, p50 / p95 (ms), {args.searches} queries | "
        f"{found['p50']:.0f} / "
        f"{found['p95']:.0f}{found['failed']} |\n"
    )
    print(table)
    write_section(
        f"registration-load-{engine.lower()}", f"## Registration under load — {engine}\n\n{table}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
