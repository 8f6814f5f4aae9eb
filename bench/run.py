"""Run the benchmarks (`make bench`); each writes its table into docs/benchmarks.md.

Set BENCH_ONLY to a comma-separated list of names to run a subset (e.g. `febrl,realtime`).
The full set takes about two hours on 2 cores (most of it building a database of a million
persons twice and one of ten million crossings twice).
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCHMARKS = {
    "febrl": ["bench/matching/febrl.py"],
    "realtime": ["bench/matching/realtime.py"],
    "name-search": ["bench/matching/name_search.py"],
    "demo-population": ["bench/matching/demo_population.py"],
    "watchlist": ["bench/security/watchlist.py"],
    "namesakes-screening": ["bench/matching/namesakes.py", "screening"],
    "namesakes-duplicates": ["bench/matching/namesakes.py", "duplicates"],
    "ceiling-screening": ["bench/matching/ceiling.py", "screening"],
    "ceiling-duplicates": ["bench/matching/ceiling.py", "duplicates"],
    "registration-sqlite": ["bench/registry/registration_load.py"],
    "registration-postgresql": ["bench/registry/registration_load.py", "--database-url", POSTGRES],
    "flows-sqlite": ["bench/flows/dashboard.py"],
    "flows-postgresql": ["bench/flows/dashboard.py", "--database-url", POSTGRES],
    "alerts-backtest": ["bench/alerts/backtest.py"],
    "forecast-backtest": ["bench/alerts/forecast_backtest.py"],
}


def main() -> int:
    only = [n for n in os.environ.get("BENCH_ONLY", "").split(",") if n]
    failed = []
    for name, command in BENCHMARKS.items():
        if only and name not in only:
            continue
        print(f"== {name}: {' '.join(command)}", flush=True)
        if subprocess.call([sys.executable, *command], cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
