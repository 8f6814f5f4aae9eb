"""Command line: ``python -m hbm.matching.cli dedupe|link ...`` (wired as ``hbm match``).

Exit codes: 0 success, 1 matching/input error (one line per problem on stderr, nothing
written), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from hbm.matching.batch import DEFAULT_THRESHOLD, BatchResult, dedupe, link
from hbm.matching.csvio import atomic_writer, read_records
from hbm.matching.errors import InvalidRecordError, MatchingError
from hbm.matching.records import PersonRecord
from hbm.matching.scoring import Model

PAIR_COLUMNS = ("id_l", "id_r", "match_probability", "match_weight")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="hbm match", description="Find duplicate or matching person records in CSV files."
    )
    sub = ap.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", required=True, help="pairs CSV to write")
    common.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"minimum match probability (default {DEFAULT_THRESHOLD})",
    )
    common.add_argument("--train", action="store_true", help="train the model by EM on the input")
    common.add_argument(
        "--model", help="model JSON to score with; with --train, where the trained model is written"
    )
    common.add_argument("--no-progress", action="store_true", help="no progress bar")
    d = sub.add_parser("dedupe", parents=[common], help="deduplicate one CSV")
    d.add_argument("input")
    d.add_argument("--clusters", help="also write id,cluster_id CSV")
    ln = sub.add_parser("link", parents=[common], help="link two CSVs")
    ln.add_argument("left")
    ln.add_argument("right")
    return ap


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int], None] | None]:
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    with tqdm(desc="scoring pairs", unit="pair", file=sys.stderr, mininterval=0.5) as bar:

        def update(n: int) -> None:
            bar.update(n)

        yield update


def _read(path: str, label: str, problems: list[str]) -> list[PersonRecord]:
    try:
        return read_records(path)
    except InvalidRecordError as exc:
        problems.extend(f"{path}: {p}" for p in exc.problems)
    except OSError as exc:
        problems.append(f"{path}: cannot read {label}: {exc.strerror or exc}")
    return []


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    if not 0.0 <= args.threshold <= 1.0:
        print("error: --threshold must be between 0 and 1", file=sys.stderr)
        return 1
    problems: list[str] = []
    if args.command == "dedupe":
        inputs = [_read(args.input, "input", problems)]
    else:
        inputs = [
            _read(args.left, "left input", problems),
            _read(args.right, "right input", problems),
        ]
    model: Model | None = None
    if args.model and not args.train:
        try:
            model = Model.load(args.model)
        except MatchingError as exc:
            problems.append(f"{args.model}: {exc}")
    if problems:
        for line in problems:
            print(f"error: {line}", file=sys.stderr)
        return 1
    show = not args.no_progress and sys.stderr.isatty()
    try:
        with _progress(show) as bar:
            if args.command == "dedupe":
                result: BatchResult = dedupe(
                    inputs[0], model=model, threshold=args.threshold, train=args.train, progress=bar
                )
            else:
                result = link(
                    inputs[0],
                    inputs[1],
                    model=model,
                    threshold=args.threshold,
                    train=args.train,
                    progress=bar,
                )
        _write_pairs(args.out, result)
        if args.command == "dedupe" and args.clusters:
            _write_clusters(args.clusters, result)
        if args.train and args.model:
            result.model.save(args.model)
    except (MatchingError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result.training is not None and not result.training.accepted:
        print(f"warning: {result.training.reason}", file=sys.stderr)
    print(
        f"{len(result.pairs)} pairs at p >= {args.threshold} written to {args.out}", file=sys.stderr
    )
    return 0


def _write_pairs(path: str, result: BatchResult) -> None:
    with atomic_writer(path) as fh:
        w = csv.writer(fh)
        w.writerow(PAIR_COLUMNS)
        for p in sorted(result.pairs, key=lambda p: (-p.probability, p.id_l, p.id_r)):
            w.writerow((p.id_l, p.id_r, f"{p.probability:.6f}", f"{p.weight:.4f}"))


def _write_clusters(path: str, result: BatchResult) -> None:
    with atomic_writer(path) as fh:
        w = csv.writer(fh)
        w.writerow(("id", "cluster_id"))
        for rid, cid in sorted(result.clusters().items()):
            w.writerow((rid, cid))


if __name__ == "__main__":
    raise SystemExit(main())
