"""Real-time benchmark: build a PersonIndex of synthetic registrations and time ``search``.

Run: ``PYTHONPATH=src python bench/matching/realtime.py [--n 1000000] [--queries 10000]``.
Prints a Markdown table and writes it into docs/benchmarks.md (unless ``--no-write``).
Half of the queries are corrupted re-registrations of an indexed person (we check that the
original is in the top 10), half are people who are not in the index.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

import psutil
from _report import machine, write_section
from synth import Generator

from hbm.matching import PersonIndex, default_model

_FRESH_LOAD = """
import sys, time, psutil
from hbm.matching import PersonIndex
t = time.perf_counter()
ix = PersonIndex.load(sys.argv[1])
print(time.perf_counter() - t, psutil.Process().memory_info().rss / 2**20)
"""


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000, help="records to index")
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--max-candidates",
        type=int,
        default=None,
        help="records compared per search (default: the index's, 500; registration uses 250)",
    )
    args = ap.parse_args(argv)
    gen = Generator(args.seed)
    load0 = os.getloadavg()[0]
    base = rss_mb()
    t0 = time.perf_counter()
    recs = list(gen.records(args.n))
    t_gen = time.perf_counter() - t0
    rss_data = rss_mb()
    index = PersonIndex(default_model(2026))
    t0 = time.perf_counter()
    for i, r in enumerate(recs):
        index.add(r)
        if i % 100_000 == 99_999:
            print(
                f"  indexed {i + 1:,} in {time.perf_counter() - t0:.0f}s, RSS {rss_mb():.0f} MB",
                file=sys.stderr,
            )
    t_build = time.perf_counter() - t0
    gc.collect()
    gc.freeze()  # long-lived index: keep it out of future GC scans (see docs/matching.md)
    rss_index = rss_mb()
    queries = []
    for q in range(args.queries):
        if q % 2 == 0:
            target = recs[gen.rng.randrange(args.n)]
            queries.append((gen.duplicate(target, f"Q{q}"), target.id))
        else:
            queries.append((gen.person(args.n + q), None))
    lat: list[float] = []
    cpu: list[float] = []
    hit = total = 0
    top1 = 0
    for rec, truth in queries:
        t, c = time.perf_counter(), time.thread_time()
        res = index.search(rec, limit=10, max_candidates=args.max_candidates)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        if truth is not None:
            total += 1
            ids = [m.id for m in res]
            hit += truth in ids
            top1 += bool(ids) and ids[0] == truth
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.bin"
        t0 = time.perf_counter()
        index.save(path)
        t_save = time.perf_counter() - t0
        size = path.stat().st_size / 2**20
        del index
        gc.collect()
        t0 = time.perf_counter()
        loaded = PersonIndex.load(path)
        t_load = time.perf_counter() - t0
        gc.freeze()
        assert len(loaded) == args.n
        rss_loaded = rss_mb()
        del loaded
        fresh = subprocess.run(
            [sys.executable, "-c", _FRESH_LOAD, str(path)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        ).stdout.split()
    mean = statistics.fmean(lat)
    rows = [
        ("records indexed", f"{args.n:,}"),
        ("generate records (s)", f"{t_gen:.1f}"),
        ("index build (s)", f"{t_build:.1f} ({args.n / t_build:,.0f} records/s)"),
        (
            "RSS: records only / with index (MB)",
            f"{rss_data - base:,.0f} / {rss_index - base:,.0f} (process total {rss_index:,.0f})",
        ),
        ("save (s) / file size (MB)", f"{t_save:.1f} / {size:,.0f}"),
        ("load (s) / RSS after load in this process (MB)", f"{t_load:.1f} / {rss_loaded:,.0f}"),
        (
            "load in a fresh process (s) / its RSS (MB)",
            f"{float(fresh[0]):.1f} / {float(fresh[1]):,.0f}",
        ),
        ("queries (half true duplicates)", f"{len(queries):,}"),
        (
            "search latency mean / p50 / p95 / p99 (ms)",
            f"{mean:.1f} / {pct(lat, 50):.1f} / {pct(lat, 95):.1f} / {pct(lat, 99):.1f}",
        ),
        (
            "search CPU time (thread) p50 / p95 / p99 (ms)",
            f"{pct(cpu, 50):.1f} / {pct(cpu, 95):.1f} / {pct(cpu, 99):.1f}",
        ),
        ("machine load average (1 min) at start / end", f"{load0:.2f} / {os.getloadavg()[0]:.2f}"),
        ("true duplicate in top 10", f"{hit / total:.2%} ({hit}/{total})"),
        ("true duplicate ranked first", f"{top1 / total:.2%}"),
    ]
    p99 = pct(lat, 99)
    targets = [
        f"p99 < 50 ms: {'met' if p99 < 50 else 'MISSED'} ({p99:.1f} ms)",
        f"top-10 recall ≥ 99 %: {'met' if hit / total >= 0.99 else 'MISSED'} ({hit / total:.2%})",
        f"memory < 3 GB: {'met' if rss_index < 3072 else 'MISSED'} "
        f"({rss_index:,.0f} MB process RSS)",
    ]
    body = "\n".join(
        [
            f"## Real time: PersonIndex with {args.n:,} synthetic registrations",
            "",
            f"Machine: {machine()}. Single thread (one core).",
            "",
            f"Command: `PYTHONPATH=src python bench/matching/realtime.py --n {args.n} "
            f"--queries {args.queries}"
            + (f" --max-candidates {args.max_candidates}" if args.max_candidates else "")
            + "`",
            "",
            "| measure | value |",
            "|---|---|",
            *[f"| {k} | {v} |" for k, v in rows],
            "",
            "Targets: " + "; ".join(targets) + ".",
        ]
    )
    print(body)
    if not args.no_write:
        name = "realtime" if args.n >= 1_000_000 else f"realtime-{args.n}"
        if args.max_candidates:
            name += f"-candidates-{args.max_candidates}"
        write_section(name, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
