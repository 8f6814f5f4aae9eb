"""Batch deduplication and linkage over record lists, CSV/Parquet files or DataFrames.

Blocking runs in DuckDB (a join on blocking keys, with over-common keys dropped); scoring
uses exactly the same Python code as :class:`hbm.matching.index.PersonIndex`, so a pair gets
the same score online and in batch when the term frequencies are the same.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hbm.matching.blocking import BATCH_KEY_CAP, blocking_keys
from hbm.matching.clustering import Clustering
from hbm.matching.comparisons import Features, compare, features
from hbm.matching.csvio import (
    BlankedDate,
    InvalidDates,
    LoadedRecords,
    build_record,
    read_csv,
    record_columns,
)
from hbm.matching.errors import InvalidRecordError, MatchingError, Problem
from hbm.matching.index import PersonIndex
from hbm.matching.records import PersonRecord
from hbm.matching.scoring import Explanation, Model, TermFrequencies, default_model, probability
from hbm.matching.training import TrainingReport, train_features

#: Batch: each record keeps at most this many best candidate pairs (by shared keys).
BATCH_CANDIDATES = 20
#: Default probability threshold for reporting a pair (chosen from docs/benchmarks.md).
DEFAULT_THRESHOLD = 0.9

Source = Sequence[PersonRecord] | str | os.PathLike[str] | Any
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A compared pair of records (``id_l`` < ``id_r`` for dedupe)."""

    id_l: str
    id_r: str
    probability: float
    weight: float


@dataclass
class BatchResult:
    """Result of :func:`dedupe` or :func:`link`."""

    pairs: list[ScoredPair]
    model: Model
    candidate_pairs: int
    clustering: Clustering | None = None
    training: TrainingReport | None = None
    _explain: Callable[[str, str], Explanation] | None = field(default=None, repr=False)

    def clusters(self) -> dict[str, str]:
        """Record id → cluster id (empty for linkage)."""
        return self.clustering.assignments() if self.clustering else {}

    def explain(self, id_l: str, id_r: str) -> Explanation:
        """Explanation of the score of any two records of the input."""
        if self._explain is None:
            raise MatchingError("no explanation available")
        return self._explain(id_l, id_r)


PARQUET_SUFFIXES = (".parquet", ".pq")
NOT_PARQUET = "not a readable Parquet file: {error}"
NO_ID_INPUT = "input has no 'id' column"


def is_parquet(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is read as Parquet (by its extension), else it is read as CSV."""
    return Path(path).suffix.lower() in PARQUET_SUFFIXES


def load_records(
    source: Source, *, encoding: str = "utf-8", invalid_dates: InvalidDates = "fail"
) -> list[PersonRecord]:
    """Records from a sequence, a CSV or Parquet path, or a pandas DataFrame."""
    return read_input(source, encoding=encoding, invalid_dates=invalid_dates).records


def read_input(
    source: Source, *, encoding: str = "utf-8", invalid_dates: InvalidDates = "fail"
) -> LoadedRecords:
    """:func:`load_records` with the input's columns and the dates it blanked.

    A path is read as Parquet (with pyarrow) when it ends in ``.parquet`` or ``.pq``, else as
    CSV in ``encoding``. pandas itself is not imported: a DataFrame is recognised by its
    ``to_dict`` and ``columns`` attributes. Problems of Parquet and DataFrame inputs are
    numbered by row (1 = first record).
    """
    if isinstance(source, (str, os.PathLike)):
        if not is_parquet(source):
            return read_csv(source, encoding=encoding, invalid_dates=invalid_dates)
        import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

        try:
            table = pq.read_table(source)
        except pa.ArrowException as exc:
            raise InvalidRecordError(NOT_PARQUET.format(error=exc)) from None
        return _from_rows([str(c) for c in table.column_names], table.to_pylist(), invalid_dates)
    if hasattr(source, "to_dict") and hasattr(source, "columns"):
        columns = [str(c) for c in source.columns]
        return _from_rows(columns, source.to_dict("records"), invalid_dates)
    records = list(source)
    return LoadedRecords(records, [], record_columns(records))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")  # pandas' NA and NaT


def _cell(key: str, value: Any) -> Any:
    if _missing(value):
        return ""
    if key == "date_of_birth" and isinstance(value, (datetime, date)):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    if key == "age_estimate" and isinstance(value, float) and value.is_integer():
        return int(value)  # a pandas column of ages with gaps is float
    return value


def _from_rows(
    columns: list[str], rows: Iterable[dict[Any, Any]], invalid_dates: InvalidDates
) -> LoadedRecords:
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        raise InvalidRecordError(
            [Problem(0, f"column {c!r} appears more than once") for c in dupes]
        )
    if "id" not in columns:
        raise InvalidRecordError(NO_ID_INPUT)
    out: list[PersonRecord] = []
    problems: list[Problem] = []
    blanked: list[BlankedDate] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=1):
        clean = {str(k): _cell(str(k), v) for k, v in row.items()}
        rid = str(clean.get("id", "")).strip()
        if rid and rid in seen:
            problems.append(Problem(n, f"duplicate id {rid!r} (first on row {seen[rid]})"))
            continue
        seen.setdefault(rid, n)
        try:
            out.append(build_record(clean, n, invalid_dates, blanked))
        except InvalidRecordError as exc:
            problems.extend(Problem(n, p.message) for p in exc.problems)
    if problems:
        raise InvalidRecordError(problems)
    return LoadedRecords(out, blanked, columns)


def block_pairs(
    left: Sequence[Features],
    right: Sequence[Features] | None = None,
    cap: int = BATCH_KEY_CAP,
    per_record: int | None = None,
) -> list[tuple[int, int]]:
    """Candidate pairs by a DuckDB join on blocking keys (dedupe if ``right`` is None).

    Keys shared by more than ``cap`` records are dropped. Each pair is weighted by its
    shared keys (rarer keys weigh more, as in the online index) and kept if it is among the
    ``per_record`` best pairs of either of its two records.
    """
    import duckdb
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    def table(feats: Sequence[Features]) -> Any:
        rows = [(i, k) for i, f in enumerate(feats) for k in blocking_keys(f)]
        return pa.table(
            {
                "rid": pa.array([r[0] for r in rows], pa.int64()),
                "bkey": pa.array([r[1] for r in rows], pa.string()),
            }
        )

    top = math.log2(max(cap, 2)) + 1.0
    k = int(per_record if per_record is not None else BATCH_CANDIDATES)
    con = duckdb.connect()
    try:
        con.register("l_keys", table(left))
        if right is None:
            keyed = f"""
                sizes AS (SELECT bkey, count(*) AS n FROM l_keys GROUP BY bkey
                          HAVING count(*) > 1 AND count(*) <= {int(cap)}),
                pairs AS (SELECT a.rid AS l, b.rid AS r,
                                 sum(greatest({top} - log2(s.n), 0.5)) AS w
                          FROM l_keys a JOIN sizes s USING (bkey) JOIN l_keys b USING (bkey)
                          WHERE a.rid < b.rid GROUP BY 1, 2)"""
        else:
            con.register("r_keys", table(right))
            keyed = f"""
                lo AS (SELECT bkey, count(*) AS n FROM l_keys GROUP BY bkey
                       HAVING count(*) <= {int(cap)}),
                ro AS (SELECT bkey, count(*) AS n FROM r_keys GROUP BY bkey
                       HAVING count(*) <= {int(cap)}),
                pairs AS (SELECT a.rid AS l, b.rid AS r,
                                 sum(greatest({top} - log2(greatest(lo.n, ro.n)), 0.5)) AS w
                          FROM l_keys a JOIN lo USING (bkey) JOIN ro USING (bkey)
                          JOIN r_keys b USING (bkey) GROUP BY 1, 2)"""
        sql = f"""
            WITH {keyed},
            ranked AS (SELECT l, r,
                row_number() OVER (PARTITION BY l ORDER BY w DESC, r) AS rl,
                row_number() OVER (PARTITION BY r ORDER BY w DESC, l) AS rr
                FROM pairs)
            SELECT l, r FROM ranked WHERE rl <= {k} OR rr <= {k}
            ORDER BY 1, 2"""
        return [(int(a), int(b)) for a, b in con.execute(sql).fetchall()]
    finally:
        con.close()


def _run(
    left: list[PersonRecord],
    right: list[PersonRecord] | None,
    model: Model | None,
    threshold: float,
    train: bool,
    cap: int,
    progress: Progress | None,
) -> BatchResult:
    model = model or default_model()
    ref = model.reference_year
    # Work in record-id order so that candidate cuts and ties never depend on input order.
    left = sorted(left, key=lambda r: r.id)
    right = sorted(right, key=lambda r: r.id) if right is not None else None
    fl = [features(r, ref) for r in left]
    fr = [features(r, ref) for r in right] if right is not None else None
    tf = TermFrequencies()
    for f in fl + (fr or []):
        tf.add(f)
    pairs = block_pairs(fl, fr, cap)
    fr_ = fr if fr is not None else fl
    vectors = [compare(fl[i], fr_[j]) for i, j in pairs]
    report = None
    if train:
        allf = fl + (fr or [])
        model, report = train_features(allf, model, vectors=Counter(vectors))
    right_recs = right if right is not None else left
    out: list[ScoredPair] = []
    for n, ((i, j), levels) in enumerate(zip(pairs, vectors, strict=True)):
        fa, fb = fl[i], fr_[j]
        w = model.weight(levels, fa, fb, tf)
        p = probability(w)
        if p >= threshold:
            out.append(ScoredPair(left[i].id, right_recs[j].id, p, w))
        if progress is not None and n % 10_000 == 9_999:
            progress(10_000)
    if progress is not None:
        progress(len(pairs) % 10_000)
    by_id = {r.id: f for r, f in zip(left, fl, strict=True)}
    by_id.update({r.id: f for r, f in zip(right_recs, fr_, strict=True)})
    final = model

    def explain(a: str, b: str) -> Explanation:
        fa, fb = by_id[a], by_id[b]
        return final.explain(compare(fa, fb), fa, fb, tf)

    return BatchResult(out, model, len(pairs), None, report, explain)


def dedupe(
    source: Source,
    *,
    model: Model | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    train: bool = False,
    cap: int = BATCH_KEY_CAP,
    progress: Progress | None = None,
) -> BatchResult:
    """Find duplicate records within one source; pairs above ``threshold`` and clusters."""
    records = load_records(source)
    result = _run(records, None, model, threshold, train, cap, progress)
    clustering = Clustering(r.id for r in records)
    clustering.add_pairs((p.id_l, p.id_r) for p in result.pairs)
    result.clustering = clustering
    return result


def link(
    left: Source,
    right: Source,
    *,
    model: Model | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    train: bool = False,
    cap: int = BATCH_KEY_CAP,
    progress: Progress | None = None,
) -> BatchResult:
    """Find records of ``left`` matching records of ``right``."""
    return _run(load_records(left), load_records(right), model, threshold, train, cap, progress)


class IncrementalDeduper:
    """Keeps a clustering up to date as records arrive, using a :class:`PersonIndex`."""

    def __init__(
        self,
        index: PersonIndex | None = None,
        clustering: Clustering | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.index = index or PersonIndex()
        self.clustering = clustering or Clustering(r.id for r in self.index.records())
        self.threshold = threshold

    def add(self, record: PersonRecord) -> str:
        """Index ``record``, join it to every cluster it matches; returns its cluster id."""
        matches = self.index.search(record, limit=50, threshold=self.threshold)
        self.index.add(record)
        self.clustering.add(record.id)
        for m in matches:
            self.clustering.union(record.id, m.id)
        return self.clustering.cluster_id(record.id)
