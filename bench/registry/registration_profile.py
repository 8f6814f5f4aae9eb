"""Where a registration's time goes: the bench's families posted in one process, through the
whole request stack, to a database that ``registration_load.py`` filled.

    python bench/registry/registration_profile.py --var-dir DIR [--database-url URL/hbm_bench]
        [--groups 300] [--seed 11] [--cprofile 25]

Prints, per registration: the worker's CPU, the database server's CPU (PostgreSQL: this
connection's backend), the statements sent and their time by kind, and the functions that
take the most time under cProfile. Statement counts and CPU times barely depend on what else
the machine runs, so two states of one database (fresh, after load runs) compare here even
when wall-clock throughput would not.
"""

import argparse
import cProfile
import os
import pstats
import random
import re
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))


def setup(var_dir: str, database_url: str) -> None:
    os.environ["HBM_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = ""
    os.environ["ALLOWED_HOSTS"] = "testserver"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbm.settings")
    import django

    django.setup()


def statement_kind(sql: str) -> str:
    """The statement's verb and first table: 'INSERT registry_person', 'SELECT audit_...'."""
    verb = sql.lstrip().split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?([a-z_]+)"?', sql, re.I)
    return f"{verb} {table.group(1) if table else ''}".strip()


class Statements:
    """A connection execute wrapper: statements sent and their time, by kind."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = statement_kind(sql)
            self.count[kind] += 1
            self.seconds[kind] += time.perf_counter() - started


class Timed:
    """Wraps a module function to add up its wall time and the persons it was given."""

    def __init__(self, module: object, name: str) -> None:
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.seconds, self.persons = 0.0, 0
        setattr(module, name, self)

    def __call__(self, persons, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return self.original(persons, *args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started
            self.persons += len(persons)

    def per_person_ms(self) -> float:
        return self.seconds / max(self.persons, 1) * 1000


class Counted:
    """Wraps a module function to count its calls."""

    def __init__(self, module: object, name: str) -> None:
        self.original, self.calls = getattr(module, name), 0
        setattr(module, name, self)

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.original(*args, **kwargs)


def backend_process() -> psutil.Process | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return psutil.Process(pid)


def cpu(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    times = process.cpu_times()
    return times.user + times.system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--cprofile", type=int, default=25, help="functions listed (0: none)")
    parser.add_argument(
        "--sort",
        choices=("cumulative", "tottime"),
        default="cumulative",
        help="tottime: every module's functions by their own time, Django's and the driver's too",
    )
    parser.add_argument(
        "--cpu-timer",
        action="store_true",
        help="profile CPU time, not wall time: waits for the database and for a busy machine"
        " drop out (each call costs a system call more, which inflates the figures)",
    )
    args = parser.parse_args()
    setup(args.var_dir, args.database_url)

    from django.db import connection
    from django.test import Client
    from hbm_names import random_family

    from hbm.accounts.models import User
    from hbm.accounts.services import device_token_create
    from hbm.lib import deadline
    from hbm.registry import hooks
    from hbm.registry.services import registration

    _, key = device_token_create(actor=User.objects.get(username="registration"), name="profile")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    rng = random.Random(args.seed)

    def post() -> None:
        body = {
            "id": str(uuid.uuid4()),
            "crossing_point": "mahagi-goli",
            "direction": "entry",
            "consent_given": True,
            "members": random_family(rng),
        }
        response = client.post("/api/v1/registrations", body, content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")

    for _ in range(args.warm):  # the indexes load and the statements are prepared
        post()
    backend = backend_process()
    searched = Timed(registration, "_likely_duplicates")
    screened = Timed(hooks, "screen")
    statements = Statements()
    # set outside the execute wrappers, on the raw connection: counted apart
    timeouts = Counted(deadline, "_statement_timeout")
    me = psutil.Process()
    worker_before, database_before = cpu(me), cpu(backend)
    started = time.perf_counter()
    with connection.execute_wrapper(statements):
        for _ in range(args.groups):
            post()
    elapsed = time.perf_counter() - started
    n = args.groups
    print(
        f"{connection.vendor}: {n} groups in {elapsed:.1f} s; per registration: "
        f"wall {elapsed / n * 1000:.1f} ms, worker CPU {(cpu(me) - worker_before) / n * 1000:.1f}"
        f" ms, database CPU {(cpu(backend) - database_before) / n * 1000:.1f} ms"
    )
    print(
        f"duplicate search {searched.per_person_ms():.2f} ms per new person, "
        f"watchlist screening {screened.per_person_ms():.2f} ms per member"
    )
    print(
        f"statements per registration: {sum(statements.count.values()) / n:.1f}, and"
        f" {timeouts.calls / n:.1f} setting the request's statement_timeout"
    )
    for kind, count in statements.count.most_common():
        print(f"  {count / n:6.2f} × {statements.seconds[kind] / count * 1000:6.2f} ms  {kind}")
    if args.cprofile:  # a second pass, under the profiler (which inflates the CPU)
        profiler = cProfile.Profile(time.process_time) if args.cpu_timer else cProfile.Profile()
        profiler.enable()
        for _ in range(args.groups):
            post()
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        if args.sort == "cumulative":
            stats.print_stats(r"/hbm/", args.cprofile)
        else:
            stats.print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
