"""Name search benchmark: time ``PersonIndex.name_search`` on a registry of synthetic people.

Run: ``PYTHONPATH=src python bench/matching/name_search.py [--n 1000000] [--queries 2000]``.
Prints a Markdown table and writes it into docs/benchmarks.md (unless ``--no-write``).
Each kind of query an officer types is timed on its own: one word (a given or family name,
common in the synthetic population), the start of a family name, a full name, the full
name with a typo, and a name nobody has. For the full names (typo or not) we check that the
person is among the first page of results (50), as the people page shows them; ``--among``
times the search restricted to a point's share of the registry, as a point officer's is.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from _report import machine, write_section
from synth import Generator, typo

from hbm.matching import PersonIndex, PersonRecord, default_model

PAGE = 50
RESULTS = 1000  # hbm.registry.search.MAX_RESULTS


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1_000_000, help="records to index")
    ap.add_argument("--queries", type=int, default=2_000, help="queries of each kind")
    ap.add_argument("--among", type=float, default=0.05, help="a point's share of the registry")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    gen = Generator(args.seed)
    rng = random.Random(args.seed)
    load0 = os.getloadavg()[0]
    records = list(gen.records(args.n))
    index = PersonIndex(default_model(2026))
    t0 = time.perf_counter()
    index.add_many(records)
    t_build = time.perf_counter() - t0
    in_point = {r.id for r in records if rng.random() < args.among}

    def sample() -> PersonRecord:
        return records[rng.randrange(args.n)]

    kinds: list[tuple[str, Callable[[], tuple[str, str | None]]]] = [
        ("one word (given name)", lambda: (sample().given_name.split()[0], None)),
        ("one word (family name)", lambda: (sample().family_name, None)),
        ("start of a family name", lambda: (sample().family_name[:4], None)),
        ("full name", lambda: _full(sample(), None)),
        ("full name, one typo", lambda: _full(sample(), rng)),
        ("a name nobody has", lambda: ("Zqwxvbn Plmkjhg", None)),
    ]
    rows = []
    for label, make in kinds:
        for among in (None, in_point):
            latencies, found, counted, sizes = [], 0, 0, []
            for _ in range(args.queries):
                query, target = make()
                if among is not None and target is not None and target not in in_point:
                    target = None
                t = time.perf_counter()
                hits = index.name_search(query, limit=RESULTS, among=among)
                latencies.append((time.perf_counter() - t) * 1000)
                sizes.append(len(hits))
                if target is not None:
                    counted += 1
                    found += target in {h.id for h in hits[:PAGE]}
            scope = "national" if among is None else f"a point ({args.among:.0%})"
            share = f"{found / counted:.1%}" if counted else "—"
            rows.append(
                f"| {label} | {scope} | {statistics.median(latencies):.1f} "
                f"| {pct(latencies, 0.95):.1f} | {max(latencies):.1f} "
                f"| {statistics.median(sizes):.0f} | {share} |"
            )
    body = "\n".join(
        [
            f"Command: `PYTHONPATH=src python bench/matching/name_search.py --n {args.n} "
            f"--queries {args.queries}` — {machine()}, load {load0:.1f} at start; "
            f"index built in {t_build:.0f} s, {len(index._names):,} distinct name tokens.",
            "",
            "| query | scope | median ms | p95 ms | max ms | results (median) | person on page 1 |",
            "|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(body)
    if not args.no_write:
        write_section("name-search", body)
    return 0


def _full(record: PersonRecord, rng: random.Random | None) -> tuple[str, str | None]:
    family = record.family_name if rng is None else typo(rng, record.family_name)
    return f"{record.given_name} {family}", record.id


if __name__ == "__main__":
    raise SystemExit(main())
