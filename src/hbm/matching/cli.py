"""Command line: ``python -m hbm.matching.cli dedupe|link ...`` (wired as ``hbm match``).

Inputs are CSV (UTF-8 unless ``--encoding``) or Parquet (by extension). Columns the engine
does not know are carried to the outputs. Exit codes: 0 success, 1 matching/input error (one
line per problem on stderr, at most ``MAX_REPORTED`` of them, nothing written), 2 usage
error (argparse).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from hbm.matching.batch import DEFAULT_THRESHOLD, BatchResult, dedupe, is_parquet, link, read_input
from hbm.matching.csvio import INVALID_DATES, LoadedRecords, atomic_writer
from hbm.matching.errors import InvalidRecordError, MatchingError
from hbm.matching.records import FIELDS
from hbm.matching.scoring import Model

PAIR_COLUMNS = ("id_l", "id_r", "match_probability", "match_weight")
CLUSTER_COLUMNS = ("id", "cluster_id")
#: At most this many problems (or blanked dates) are listed; then "... and N more".
MAX_REPORTED = 20

BLANKED = "{unit} {line}: blanked date_of_birth {value!r} of id {id!r}: {reason}"
NO_RECORDS = "no records"
NOTHING_COMPARED = (
    "no column the engine compares (given_name, family_name, date_of_birth, ...); "
    "records with only an id never match"
)
CLUSTER_CLASH = "column 'cluster_id' clashes with the column --clusters writes; rename it"
OUTPUT_IS_DIRECTORY = "cannot write: it is a directory"
NO_OUTPUT_DIRECTORY = "cannot write: directory {directory} does not exist"
OUTPUT_NOT_WRITABLE = "cannot write: directory {directory} is not writable"
DATES_HINT = "--invalid-dates blank blanks invalid dates of birth and matches the rest"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="hbm match",
        description="Find duplicate or matching person records in CSV or Parquet files.",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--out", required=True, help="pairs CSV to write (with the unknown columns)"
    )
    common.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"minimum match probability (default {DEFAULT_THRESHOLD})",
    )
    training = common.add_mutually_exclusive_group()
    training.add_argument(
        "--train",
        action="store_true",
        help="train the model by EM on the input (the default unless --model is given)",
    )
    training.add_argument(
        "--no-train", action="store_true", help="score with the shipped parameters"
    )
    common.add_argument(
        "--model", help="model JSON to score with; with --train, where the trained model is written"
    )
    common.add_argument(
        "--invalid-dates",
        choices=INVALID_DATES,
        default="fail",
        help="an invalid date of birth is an error (fail, the default) or is blanked and "
        "reported (blank)",
    )
    common.add_argument(
        "--encoding", default="utf-8", help="encoding of CSV inputs (default utf-8)"
    )
    common.add_argument("--no-progress", action="store_true", help="no progress bar")
    d = sub.add_parser("dedupe", parents=[common], help="deduplicate one file")
    d.add_argument("input", help="CSV, or Parquet if it ends in .parquet or .pq")
    d.add_argument("--clusters", help="also write id,cluster_id (and the unknown columns) CSV")
    ln = sub.add_parser("link", parents=[common], help="link two files")
    ln.add_argument("left")
    ln.add_argument("right")
    return ap


def _report(kind: str, lines: Sequence[str]) -> None:
    for line in lines[:MAX_REPORTED]:
        print(f"{kind}: {line}", file=sys.stderr)
    if len(lines) > MAX_REPORTED:
        print(f"{kind}: ... and {len(lines) - MAX_REPORTED} more", file=sys.stderr)


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


def _read(
    path: str, label: str, args: argparse.Namespace, problems: list[str], warnings: list[str]
) -> LoadedRecords:
    unit = "row" if is_parquet(path) else "line"
    try:
        loaded = read_input(path, encoding=args.encoding, invalid_dates=args.invalid_dates)
    except InvalidRecordError as exc:
        problems.extend(
            f"{path}: {unit} {p.line}: {p.message}" if p.line else f"{path}: {p.message}"
            for p in exc.problems
        )
        return LoadedRecords([])
    except OSError as exc:
        problems.append(f"{path}: cannot read {label}: {exc.strerror or exc}")
        return LoadedRecords([])
    if getattr(args, "clusters", None) and "cluster_id" in loaded.extra_columns:
        problems.append(f"{path}: {CLUSTER_CLASH}")
    warnings.extend(
        f"{path}: "
        + BLANKED.format(unit=unit, line=b.line, value=b.value, id=b.id, reason=b.reason)
        for b in loaded.blanked
    )
    if not loaded.records:
        warnings.append(f"{path}: {NO_RECORDS}")
    elif not set(loaded.columns) & (set(FIELDS) - {"id"}):
        warnings.append(f"{path}: {NOTHING_COMPARED}")
    return loaded


def _check_output(path: str) -> str | None:
    """Why ``path`` cannot be written, checked before any work is done (or None)."""
    target = Path(path)
    directory = target.parent
    if target.is_dir():
        return OUTPUT_IS_DIRECTORY
    if not directory.is_dir():
        return NO_OUTPUT_DIRECTORY.format(directory=directory)
    if not os.access(directory, os.W_OK | os.X_OK):
        return OUTPUT_NOT_WRITABLE.format(directory=directory)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    # Parameters learnt from the files themselves fit them better than any shipped ones;
    # EM's result is checked, and the shipped model kept when it is implausible.
    args.train = args.train or not (args.model or args.no_train)
    if not 0.0 <= args.threshold <= 1.0:
        print("error: --threshold must be between 0 and 1", file=sys.stderr)
        return 1
    problems: list[str] = []
    warnings: list[str] = []
    if args.command == "dedupe":
        paths = [(args.input, "input")]
    else:
        paths = [(args.left, "left input"), (args.right, "right input")]
    inputs = [_read(path, label, args, problems, warnings) for path, label in paths]
    outputs = [args.out, getattr(args, "clusters", None), args.model if args.train else None]
    for out in outputs:
        why = _check_output(out) if out else None
        if why:
            problems.append(f"{out}: {why}")
    model: Model | None = None
    if args.model and not args.train:
        try:
            model = Model.load(args.model)
        except MatchingError as exc:
            problems.append(f"{args.model}: {exc}")
    if problems:
        _report("error", problems)
        if args.invalid_dates == "fail" and any(": date_of_birth " in p for p in problems):
            print(f"hint: {DATES_HINT}", file=sys.stderr)
        return 1
    _report("warning", warnings)
    show = not args.no_progress and sys.stderr.isatty()
    try:
        with _progress(show) as bar:
            if args.command == "dedupe":
                result: BatchResult = dedupe(
                    inputs[0].records,
                    model=model,
                    threshold=args.threshold,
                    train=args.train,
                    progress=bar,
                )
            else:
                result = link(
                    inputs[0].records,
                    inputs[1].records,
                    model=model,
                    threshold=args.threshold,
                    train=args.train,
                    progress=bar,
                )
        _write_pairs(args.out, result, inputs[0], inputs[-1])
        if args.command == "dedupe" and args.clusters:
            _write_clusters(args.clusters, result, inputs[0])
        if args.train and args.model:
            result.model.save(args.model)
    except (MatchingError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result.training is not None and not result.training.accepted:
        print(f"warning: {result.training.reason}", file=sys.stderr)
    blanked = sum(len(i.blanked) for i in inputs)
    summary = f"{len(result.pairs)} pairs at p >= {args.threshold} written to {args.out}"
    if blanked:
        summary += f"; {blanked} invalid dates of birth blanked"
    print(summary, file=sys.stderr)
    return 0


def _extras(loaded: LoadedRecords) -> tuple[list[str], dict[str, dict[str, str]]]:
    return loaded.extra_columns, {r.id: r.extra for r in loaded.records}


def _write_pairs(path: str, result: BatchResult, left: LoadedRecords, right: LoadedRecords) -> None:
    cols_l, by_l = _extras(left)
    cols_r, by_r = _extras(right)
    with atomic_writer(path) as fh:
        w = csv.writer(fh)
        w.writerow([*PAIR_COLUMNS, *(f"{c}_l" for c in cols_l), *(f"{c}_r" for c in cols_r)])
        for p in sorted(result.pairs, key=lambda p: (-p.probability, p.id_l, p.id_r)):
            el, er = by_l[p.id_l], by_r[p.id_r]
            w.writerow(
                (
                    p.id_l,
                    p.id_r,
                    f"{p.probability:.6f}",
                    f"{p.weight:.4f}",
                    *(el.get(c, "") for c in cols_l),
                    *(er.get(c, "") for c in cols_r),
                )
            )


def _write_clusters(path: str, result: BatchResult, loaded: LoadedRecords) -> None:
    cols, by_id = _extras(loaded)
    with atomic_writer(path) as fh:
        w = csv.writer(fh)
        w.writerow([*CLUSTER_COLUMNS, *cols])
        for rid, cid in sorted(result.clusters().items()):
            w.writerow((rid, cid, *(by_id[rid].get(c, "") for c in cols)))


if __name__ == "__main__":
    raise SystemExit(main())
