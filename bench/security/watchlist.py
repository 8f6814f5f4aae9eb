"""Watchlist screening: 100,000 listed persons; each arrival is searched against them as the
registration does (hbm.security.screening's share of listed arrivals and threshold).

Listed people come back with variant spellings, transliterations and partial dates (the
real-time benchmark's corruptions): recall is the share found at the review threshold.
People who are not listed measure the false-positive rate.

    python bench/security/watchlist.py [--entries 100000] [--queries 4000]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from matching._report import machine, write_section  # noqa: E402
from matching.namesakes import _django  # noqa: E402
from matching.synth import Generator  # noqa: E402

from hbm.matching import PersonIndex  # noqa: E402

THRESHOLDS = (0.0001, 0.001, 0.01, 0.1, 0.5, 0.9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=4_000)
    args = parser.parse_args()
    _django()
    from hbm.security.screening import LISTED_SHARE, SCREEN_THRESHOLD

    generator = Generator(seed=7)
    entries = list(generator.records(args.entries))
    started = time.perf_counter()
    index = PersonIndex()
    index.add_many(entries)
    build = time.perf_counter() - started
    half = args.queries // 2
    listed = [generator.duplicate(entries[(i * 7919) % len(entries)], f"q{i}") for i in range(half)]
    unlisted = [generator.person(args.entries + 10 + i) for i in range(half)]
    latencies, true_best, false_best = [], [], []
    for i, query in enumerate(listed + unlisted):
        t0 = time.perf_counter()
        matches = index.search(query, limit=15, threshold=min(THRESHOLDS), match_share=LISTED_SHARE)
        latencies.append((time.perf_counter() - t0) * 1000)
        if i < half:
            target = entries[(i * 7919) % len(entries)].id
            true_best.append(max((m.probability for m in matches if m.id == target), default=0))
        else:
            false_best.append(max((m.probability for m in matches), default=0))
    q = statistics.quantiles(latencies, n=100)
    rows = "\n".join(
        f"| {t} | {100 * sum(p >= t for p in true_best) / half:.2f} % | "
        f"{100 * sum(p >= t for p in false_best) / half:.2f} % |"
        for t in THRESHOLDS
    )
    found = sum(p >= SCREEN_THRESHOLD for p in true_best)
    table = (
        f"Machine: {machine()}. {args.entries:,} listed persons (index built in {build:.0f} s); "
        f"{half:,} listed people coming back under variant spellings, transliterations and "
        f"partial dates; {half:,} people not listed. Threshold {SCREEN_THRESHOLD}.\n\n"
        "| measure | value |\n|---|---|\n"
        f"| screening time per arrival p50 / p95 / p99 (ms) | {q[49]:.1f} / {q[94]:.1f} / "
        f"{q[98]:.1f} |\n"
        "\n| threshold | recall on listed people | people not listed raising a hit |\n"
        f"|---|---|---|\n{rows}\n\n"
        f"Targets: < 20 ms p95 added to a registration: "
        f"{'met' if q[94] < 20 else 'NOT met'} ({q[94]:.1f} ms); recall ≥ 99 %: "
        f"{'met' if found / half >= 0.99 else 'NOT met'} ({100 * found / half:.2f} %).\n"
    )
    print(table)
    write_section("watchlist-screening", "## Watchlist screening (100,000 entries)\n\n" + table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
