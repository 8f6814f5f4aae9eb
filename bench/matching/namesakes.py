"""Namesakes on a real-looking caseload: recall and alert rate per threshold.

(a) ``screening``: a watchlist of listed people (100,000 by default) indexed as
    ``hbm.security.screening`` indexes entries (``entry_records``); arrivals are half listed
    people registering under variants, half unlisted people drawn from the same name
    distributions. Per threshold: recall on listed arrivals (their entry among the hits an
    officer would see) and the share of unlisted arrivals raising a hit.
(b) ``duplicates``: a registry (1,000,000 persons by default) indexed as
    ``hbm.registry.identity`` indexes persons; arrivals are half returning people (a new
    registration of someone registered), half new people (10 % of them a new brother or
    sister of someone registered). Per threshold: the share of returning people whose earlier
    record goes into duplicate review, the share of new people put into review; recall@10.

Both also report calibration: every (arrival, candidate) pair the search returned, binned by
predicted probability, against the share of true pairs (the candidate is the arrival's own
entry or record); with the Brier score and the expected calibration error.

Both search with the product's own call, limit, candidate bound and record mapping
(imported from ``hbm.security.screening``, ``hbm.registry.services`` and
``hbm.registry.identity``; Django is set up without a database for that), once per arrival
at the lowest threshold, and read every higher threshold off the same ranked list.

    PYTHONPATH=src python bench/matching/namesakes.py screening [--entries 100000]
    PYTHONPATH=src python bench/matching/namesakes.py duplicates [--registry 1000000]

Options: ``--arrivals`` (default 4,000), ``--seed``, ``--no-write`` (print only),
``--json FILE`` (the numbers, for comparing two engines). From Python: :func:`screening`
and :func:`duplicates` return a :class:`Report`.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT / "src", ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from matching._report import machine, write_section  # noqa: E402
from matching.caseload import Caseload, Person  # noqa: E402

THRESHOLDS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 0.95, 0.99)
SIBLINGS = 0.1  # share of new arrivals who are a new brother or sister of someone registered
#: Lower edges of the calibration bins: [0, 0.01), [0.01, 0.1), ..., [0.99, 1].
CALIBRATION_BINS = (0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99)


def _django() -> None:
    """Set up Django (settings only, no database) to use the product's own functions."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbm.settings")
    os.environ.setdefault("HBM_VAR_DIR", tempfile.mkdtemp(prefix="hbm-bench-"))
    import django

    django.setup()


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] if xs else 0.0


@dataclass
class Report:
    """The numbers of one run (shares are fractions; times in ms)."""

    kind: str
    size: int
    arrivals: int
    product_threshold: float
    rows: list[dict[str, float]] = field(default_factory=list)  # one per threshold
    facts: dict[str, Any] = field(default_factory=dict)

    def at(self, threshold: float) -> dict[str, float]:
        return next(r for r in self.rows if r["threshold"] == threshold)


def _namesake_share(arrivals: list[Person], known: list[Person]) -> tuple[float, float]:
    """Shares of ``arrivals`` whose given+father+family names (and also birth day) are
    those of someone in ``known``."""
    names = Counter(p.names for p in known)
    full = Counter((*p.names, p.birth) for p in known)
    n = len(arrivals) or 1
    return (
        sum(p.names in names for p in arrivals) / n,
        sum((*p.names, p.birth) in full for p in arrivals) / n,
    )


def calibration(
    pairs: list[tuple[float, bool]], edges: tuple[float, ...] = CALIBRATION_BINS
) -> dict[str, Any]:
    """Predicted against observed for ``(probability, true pair)`` pairs.

    One bin per lower edge (the last one closed at 1): its pairs, their mean predicted
    probability and the share of them that are true (``None`` for an empty bin); the Brier
    score (mean squared error of the probability) and the expected calibration error (the
    bins' gaps between mean predicted and observed, weighted by their pairs)."""
    count = [0] * len(edges)
    predicted = [0.0] * len(edges)
    true = [0] * len(edges)
    for p, truth in pairs:
        b = max(0, bisect.bisect_right(edges, p) - 1)
        count[b] += 1
        predicted[b] += p
        true[b] += truth
    n = len(pairs)
    bins = [
        {
            "low": low,
            "high": high,
            "pairs": c,
            "predicted": predicted[b] / c if c else None,
            "observed": true[b] / c if c else None,
        }
        for b, (low, high, c) in enumerate(zip(edges, (*edges[1:], 1.0), count, strict=True))
    ]
    return {
        "bins": bins,
        "pairs": n,
        "brier": sum((p - truth) ** 2 for p, truth in pairs) / n if n else None,
        "ece": sum(abs(predicted[b] - true[b]) for b in range(len(edges))) / n if n else None,
    }


def _date_kind(value: object) -> str:
    dob = str(value or "")
    if len(dob) == 10:
        if dob.endswith(("-01-01", "-07-01")) or dob[8:] == "15":
            return "date: 01-01, 07-01 or 15th"
        return "date: full"
    return "date: year only" if len(dob) == 4 else "date: none or age only"


def _breakdown(labels: list[list[str]], ok: list[bool]) -> list[tuple[str, int, float]]:
    """(label, arrivals carrying it, share of them ``ok``), most frequent label first."""
    count: Counter[str] = Counter()
    good: Counter[str] = Counter()
    for tags, fine in zip(labels, ok, strict=True):
        for tag in set(tags):
            count[tag] += 1
            good[tag] += fine
    return [(tag, n, good[tag] / n) for tag, n in count.most_common()]


def _registry_person(row: dict[str, object], pk: int) -> Any:
    from hbm.registry.models import Person as Registered

    values = dict(row)
    values["nationality_id"] = values.pop("nationality") or None
    return Registered(pk=pk, **values)


@dataclass
class World:
    """A benchmark's index and arrivals: ``queries`` are (registration row, the id of the
    arrival's own entry or record, or None), the first ``half`` of them listed or returning
    people, whose variants are in ``labels``."""

    index: Any
    queries: list[tuple[dict[str, object], int | None]]
    labels: list[list[str]]
    half: int
    known: list[Person]
    unknown: list[Person]
    facts: dict[str, Any]


def screening_world(*, entries: int, arrivals: int, seed: int) -> World:
    """The watchlist of ``entries`` listed people, indexed as the product does, and the
    arrivals: half listed people under variants, half unlisted."""
    _django()
    from hbm.matching import PersonIndex
    from hbm.security.models import WatchlistEntry
    from hbm.security.screening import entry_records

    world = Caseload(seed=seed)
    listed = list(world.people(entries, stream="listed"))
    rng = world.rng("entries")
    started = time.perf_counter()
    index = PersonIndex()
    rows = [world.watchlist_entry(person, rng) for person in listed]
    for pk, row in enumerate(rows, start=1):
        index.add_many(entry_records(WatchlistEntry(pk=pk, **row)))
    build = time.perf_counter() - started
    half = arrivals // 2
    pick = world.rng("pick")
    targets = [pick.randrange(entries) for _ in range(half)]
    unlisted = list(world.people(arrivals - half, stream="unlisted"))
    rng = world.rng("arrivals")
    labels: list[list[str]] = [[] for _ in targets]
    queries: list[tuple[dict[str, object], int | None]] = [
        (world.returning(listed[t], rng, tags), t + 1)
        for t, tags in zip(targets, labels, strict=True)
    ]
    queries += [(world.registration(p, rng), None) for p in unlisted]
    for (row, _), t, tags in zip(queries, targets, labels, strict=False):
        entry = rows[t]
        tags += ["all listed arrivals", "arrival " + _date_kind(row["date_of_birth"])]
        tags.append("entry " + _date_kind(entry["date_of_birth"]))
        if len(str(entry["nationality"])) == 2:
            tags.append("entry: nationality alpha-2 (FollowTheMoney)")
        if not (entry["given_name"] or entry["family_name"]):
            tags.append("entry: a full name only")
        if entry["document_number"] and entry["document_number"] == row["document_number"]:
            tags.append("the same document number")
    return World(index, queries, labels, half, listed, unlisted, {"index_build_s": build})


def screening(
    *, entries: int = 100_000, arrivals: int = 4_000, seed: int = 17, progress: bool = False
) -> Report:
    """Screen ``arrivals`` (half listed under variants) against ``entries`` listed people."""
    from hbm.registry.identity import person_record
    from hbm.security.screening import HITS_PER_PERSON, SCREEN_THRESHOLD, entries_like

    w = screening_world(entries=entries, arrivals=arrivals, seed=seed)
    index, queries, labels, half = w.index, w.queries, w.labels, w.half
    found: list[list[tuple[int, float]]] = []  # per arrival: (entry, best probability), ranked
    latency: list[float] = []
    for n, (row, _) in enumerate(queries):
        person = _registry_person(row, 10**9 + n)
        t0 = time.perf_counter()
        best = entries_like(index, person_record(person), threshold=min(THRESHOLDS))
        latency.append((time.perf_counter() - t0) * 1000)
        found.append([(entry, match.probability) for entry, match in best])
        if progress and n % 500 == 499:
            print(f"  {n + 1:,} arrivals screened", file=sys.stderr)
    table = []
    for t in THRESHOLDS:
        # As watchlist_matches: the first HITS_PER_PERSON entries above the threshold.
        hits = [[e for e, p in ranked if p >= t][:HITS_PER_PERSON] for ranked in found]
        recall = sum(q[1] in h for q, h in zip(queries[:half], hits, strict=False)) / half
        alerts = sum(bool(h) for h in hits[half:]) / (arrivals - half)
        table.append({"threshold": t, "recall_listed": recall, "unlisted_hit": alerts})
    at_product = [
        (q[1] in [e for e, p in ranked if p >= SCREEN_THRESHOLD][:HITS_PER_PERSON])
        for q, ranked in zip(queries[:half], found, strict=False)
    ]
    same_names, same_birth = _namesake_share(w.unknown, w.known)
    pairs = [(p, e == q[1]) for q, ranked in zip(queries, found, strict=True) for e, p in ranked]
    return Report(
        "screening",
        entries,
        arrivals,
        SCREEN_THRESHOLD,
        table,
        {
            "breakdown": _breakdown(labels, at_product),
            **w.facts,
            "index_records": len(index),
            "added_ms_p50": _pct(latency, 50),
            "added_ms_p95": _pct(latency, 95),
            "added_ms_p99": _pct(latency, 99),
            "unlisted_sharing_names": same_names,
            "unlisted_sharing_names_and_birth": same_birth,
            "calibration": {**calibration(pairs), "limit": HITS_PER_PERSON * 3},
        },
    )


def duplicates_world(*, registry: int, arrivals: int, seed: int, progress: bool) -> World:
    """A registry of ``registry`` persons in households, indexed as the product does, and
    the arrivals: half returning people under variants, half new (some of them siblings)."""
    _django()
    from hbm.matching import PersonIndex
    from hbm.registry.identity import person_record

    world = Caseload(seed=seed)
    started = time.perf_counter()
    people = world.households(registry, stream="registry")
    rng = world.rng("registrations")
    generate = time.perf_counter() - started
    started = time.perf_counter()
    index = PersonIndex()
    half = arrivals // 2
    pick = world.rng("pick")
    targets = [pick.randrange(registry) for _ in range(half)]
    wanted, registered = set(targets), {}
    for pk, person in enumerate(people, start=1):
        row = world.registration(person, rng)
        index.add(person_record(_registry_person(row, pk)))
        if pk - 1 in wanted:
            registered[pk] = row
        if progress and pk % 100_000 == 0:
            print(f"  {pk:,} persons indexed", file=sys.stderr)
    build = time.perf_counter() - started
    siblings = round((arrivals - half) * SIBLINGS)
    new = list(world.people(arrivals - half - siblings, stream="new"))
    new += [world.sibling(people[pick.randrange(registry)], pick) for _ in range(siblings)]
    rng = world.rng("arrivals")
    labels: list[list[str]] = [[] for _ in targets]
    queries: list[tuple[dict[str, object], int | None]] = [
        (world.returning(people[t], rng, tags), t + 1)
        for t, tags in zip(targets, labels, strict=True)
    ]
    for (row, pk), tags in zip(queries, labels, strict=False):
        tags += ["all returning people", "arrival " + _date_kind(row["date_of_birth"])]
        earlier = registered[pk or 0]
        tags.append("registered " + _date_kind(earlier["date_of_birth"]))
        if earlier["document_number"] and earlier["document_number"] == row["document_number"]:
            tags.append("the same document number")
    queries += [(world.registration(p, rng), None) for p in new]
    return World(
        index,
        queries,
        labels,
        half,
        people,
        new[: len(new) - siblings],
        {"generate_s": generate, "index_build_s": build, "siblings": siblings},
    )


def duplicates(
    *, registry: int = 1_000_000, arrivals: int = 4_000, seed: int = 17, progress: bool = False
) -> Report:
    """Register ``arrivals`` (half returning under variants) against ``registry`` persons."""
    from hbm.registry.identity import RETURNING_SHARE, person_record
    from hbm.registry.services import (
        CANDIDATES_PER_PERSON,
        REGISTRATION_CANDIDATES,
        REVIEW_THRESHOLD,
    )

    w = duplicates_world(registry=registry, arrivals=arrivals, seed=seed, progress=progress)
    index, queries, labels, half = w.index, w.queries, w.labels, w.half
    siblings = w.facts["siblings"]
    results: list[list[tuple[int, float]]] = []
    latency, cpu = [], []
    for n, (row, _) in enumerate(queries):
        record = person_record(_registry_person(row, registry + 1 + n))
        t0, c0 = time.perf_counter(), time.thread_time()
        # The registration's call (services._likely_duplicates), with a limit of 10 so the
        # same list gives recall@10; the review takes its first CANDIDATES_PER_PERSON.
        matches = index.search(
            record,
            limit=10,
            threshold=None,
            max_candidates=REGISTRATION_CANDIDATES,
            match_share=RETURNING_SHARE,
        )
        latency.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        results.append([(int(m.id), m.probability) for m in matches])
        if progress and n % 500 == 499:
            print(f"  {n + 1:,} arrivals searched", file=sys.stderr)
    rows = []
    returning, fresh = results[:half], results[half:]
    for t in THRESHOLDS:
        review = [
            any(pk == q[1] and p >= t for pk, p in ranked[:CANDIDATES_PER_PERSON])
            for q, ranked in zip(queries, returning, strict=False)
        ]
        flagged = [any(p >= t for _, p in ranked[:CANDIDATES_PER_PERSON]) for ranked in fresh]
        rows.append(
            {
                "threshold": t,
                "returning_in_review": sum(review) / half,
                "new_in_review": sum(flagged) / len(fresh),
                "siblings_in_review": sum(flagged[len(fresh) - siblings :]) / max(1, siblings),
            }
        )
    at_product = [
        any(pk == q[1] and p >= REVIEW_THRESHOLD for pk, p in ranked[:CANDIDATES_PER_PERSON])
        for q, ranked in zip(queries, returning, strict=False)
    ]
    recall10 = sum(
        any(pk == q[1] for pk, _ in ranked) for q, ranked in zip(queries, returning, strict=False)
    )
    same_names, same_birth = _namesake_share(w.unknown, w.known)
    pairs = [
        (p, pk == q[1]) for q, ranked in zip(queries, results, strict=True) for pk, p in ranked
    ]
    return Report(
        "duplicates",
        registry,
        arrivals,
        REVIEW_THRESHOLD,
        rows,
        {
            "breakdown": _breakdown(labels, at_product),
            **w.facts,
            "recall_at_10": recall10 / half,
            "search_ms_p50": _pct(latency, 50),
            "search_ms_p99": _pct(latency, 99),
            "search_cpu_ms_p50": _pct(cpu, 50),
            "search_cpu_ms_p99": _pct(cpu, 99),
            "new_sharing_names": same_names,
            "new_sharing_names_and_birth": same_birth,
            "calibration": {**calibration(pairs), "limit": 10},
        },
    )


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%h %cs"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown commit"
    return out or "unknown commit"


def _pc(x: float) -> str:
    return f"{100 * x:.2f} %"


def markdown(report: Report, command: str) -> str:
    f, product = report.facts, report.product_threshold
    mark = {product: " (product)"}
    if report.kind == "screening":
        head = (
            f"## Namesakes: watchlist screening on a caseload ({report.size:,} listed people)\n\n"
            f"Machine: {machine()}; commit {_commit()}. Command: `{command}`.\n\n"
            f"{report.size:,} listed people ({f['index_records']:,} index records: names and "
            f"aliases; index built in {f['index_build_s']:.0f} s). {report.arrivals // 2:,} "
            f"listed people arrive under variants, {report.arrivals - report.arrivals // 2:,} "
            f"unlisted people from the same name distributions; "
            f"{_pc(f['unlisted_sharing_names'])} of these share given, father's and family "
            f"name with a listed person, {_pc(f['unlisted_sharing_names_and_birth'])} also "
            f"the birth day. Time added per arrival p50 / p95 / p99: {f['added_ms_p50']:.1f} / "
            f"{f['added_ms_p95']:.1f} / {f['added_ms_p99']:.1f} ms.\n\n"
            "| threshold | recall on listed arrivals | unlisted arrivals raising a hit |\n"
            "|---|---|---|\n"
        )
        rows = [
            f"| {r['threshold']}{mark.get(r['threshold'], '')} | {_pc(r['recall_listed'])} | "
            f"{_pc(r['unlisted_hit'])} |"
            for r in report.rows
        ]
        at = report.at(product)
        targets = (
            f"Targets at {product}: recall ≥ 99 %: "
            f"{'met' if at['recall_listed'] >= 0.99 else 'NOT met'}; unlisted hits ≤ 2 %: "
            f"{'met' if at['unlisted_hit'] <= 0.02 else 'NOT met'}; p95 < 20 ms: "
            f"{'met' if f['added_ms_p95'] < 20 else 'NOT met'}."
        )
    else:
        head = (
            f"## Namesakes: duplicate review on a caseload ({report.size:,} registered)\n\n"
            f"Machine: {machine()}; commit {_commit()}. Command: `{command}`.\n\n"
            f"{report.size:,} persons in households (generated in {f['generate_s']:.0f} s, "
            f"indexed in {f['index_build_s']:.0f} s). {report.arrivals // 2:,} returning "
            f"people register again under variants; {report.arrivals - report.arrivals // 2:,} "
            f"new people, {f['siblings']:,} of them a new brother or sister of someone "
            f"registered; {_pc(f['new_sharing_names'])} of the others share given, father's "
            f"and family name with someone registered, "
            f"{_pc(f['new_sharing_names_and_birth'])} also the birth day. Registration's "
            f"search (limit 10, its candidate bound) p50 / p99: {f['search_ms_p50']:.1f} / "
            f"{f['search_ms_p99']:.1f} ms (CPU {f['search_cpu_ms_p50']:.1f} / "
            f"{f['search_cpu_ms_p99']:.1f} ms, one core); recall@10 "
            f"{_pc(f['recall_at_10'])}.\n\n"
            "| threshold | returning people put into review | new people put into review | "
            "of them new siblings |\n|---|---|---|---|\n"
        )
        rows = [
            f"| {r['threshold']}{mark.get(r['threshold'], '')} | "
            f"{_pc(r['returning_in_review'])} | {_pc(r['new_in_review'])} | "
            f"{_pc(r['siblings_in_review'])} |"
            for r in report.rows
        ]
        at = report.at(product)
        targets = (
            f"Targets at {product}: returning in review ≥ 97 %: "
            f"{'met' if at['returning_in_review'] >= 0.97 else 'NOT met'}; new in review "
            f"≤ 5 %: {'met' if at['new_in_review'] <= 0.05 else 'NOT met'}; recall@10 ≥ 99 %: "
            f"{'met' if f['recall_at_10'] >= 0.99 else 'NOT met'}; p99 < 50 ms: "
            f"{'met' if f['search_ms_p99'] < 50 else 'NOT met'}."
        )
    what = "recall" if report.kind == "screening" else "put into review"
    breakdown = [
        f"\nBy variant, at the product's threshold {product}:\n",
        f"| {'listed' if report.kind == 'screening' else 'returning'} arrivals with | "
        f"arrivals | {what} |",
        "|---|---|---|",
        *[f"| {tag} | {n:,} | {_pc(share)} |" for tag, n, share in f["breakdown"]],
    ]
    body = head + "\n".join(rows) + "\n\n" + targets + "\n" + "\n".join(breakdown) + "\n"
    return body + _calibration_markdown(report)


def _calibration_markdown(report: Report) -> str:
    c = report.facts["calibration"]
    if report.kind == "screening":
        seen = (
            f"the entries each arrival's search returned (up to {c['limit']} index records at "
            f"threshold {min(THRESHOLDS)}, the table's lowest; an entry once, with its best "
            "probability), true when the entry is the arrival's own"
        )
    else:
        seen = (
            f"the persons the registration's search returned (limit {c['limit']}, its candidate "
            "bound, no threshold), true when the person is the arrival's earlier record"
        )
    brier = "–" if c["brier"] is None else f"{c['brier']:.4f}"
    ece = "–" if c["ece"] is None else f"{c['ece']:.4f}"
    lines = [
        f"\nCalibration: predicted probability against the observed share of true pairs, over "
        f"{c['pairs']:,} (arrival, candidate) pairs: {seen}. It is measured on the candidates "
        "the search returns, so pairs below its threshold, beyond its limit or outside its "
        f"candidate bound are not seen. Brier score {brier}; expected calibration error {ece} "
        "(the bins' gaps weighted by their pairs).\n",
        "| predicted probability | pairs | mean predicted | observed true |",
        "|---|---|---|---|",
    ]
    for b in c["bins"]:
        close = "]" if b["high"] == 1.0 else ")"
        shares = f"{b['predicted']:.4f} | {b['observed']:.4f}" if b["pairs"] else "– | –"
        lines.append(f"| [{b['low']:g}, {b['high']:g}{close} | {b['pairs']:,} | {shares} |")
    return "\n".join(lines) + "\n"


def arguments(description: str) -> argparse.ArgumentParser:
    """The command line of the caseload benchmarks: which world, how big, which seed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("kind", choices=("screening", "duplicates"))
    parser.add_argument("--entries", type=int, default=100_000, help="listed people")
    parser.add_argument("--registry", type=int, default=1_000_000, help="registered persons")
    parser.add_argument("--arrivals", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--no-write", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.kind == "screening":
        report = screening(
            entries=args.entries, arrivals=args.arrivals, seed=args.seed, progress=True
        )
        size, default = f"--entries {args.entries}", 100_000
    else:
        report = duplicates(
            registry=args.registry, arrivals=args.arrivals, seed=args.seed, progress=True
        )
        size, default = f"--registry {args.registry}", 1_000_000
    report.facts["run_s"] = time.perf_counter() - started
    command = (
        f"python bench/matching/namesakes.py {args.kind} {size} --arrivals {args.arrivals}"
        + (f" --seed {args.seed}" if args.seed != 17 else "")
    )
    body = markdown(report, command) + f"\nWhole run: {report.facts['run_s']:.0f} s.\n"
    print(body)
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=1))
    if not args.no_write:
        name = f"namesakes-{args.kind}"
        if report.size != default or args.seed != 17:
            name += f"-{report.size}-seed{args.seed}"
        write_section(name, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
