"""hbm.matching — identity matching engine of HBM (pure Python, no Django).

Records
    :class:`PersonRecord` is the canonical, immutable person record (only ``id`` is
    required). :func:`read_records` / :func:`write_records` read and write it as UTF-8 CSV.
Names and dates
    :func:`normalize_text`, :func:`name_tokens`, :func:`skeleton`, :func:`compare_names`
    (levels in :class:`NameLevel`); :func:`parse_date`, :func:`compare_dates`
    (:class:`DateInterval`, :class:`DateLevel`).
Scoring
    :class:`Model` holds Fellegi–Sunter m/u parameters (:func:`default_model` ships
    defaults); :func:`train` fits one by EM without labels. Every score comes with an
    :class:`Explanation` (a waterfall of :class:`FieldContribution`).
Online
    :class:`PersonIndex` — ``add``, ``add_many``, ``remove``, ``search`` (→ :class:`Match`),
    ``name_search`` (by name alone → :class:`NameMatch`), ``relatives`` (→ :class:`Relative`),
    ``save`` / ``load``.
Batch
    :func:`dedupe` and :func:`link` (→ :class:`BatchResult` of :class:`ScoredPair`) over
    record lists, CSV, Parquet or pandas; :class:`Clustering` and
    :class:`IncrementalDeduper` keep clusters with stable ids.
Errors
    :class:`MatchingError` is the base; :class:`InvalidRecordError` and its subclass
    :class:`CsvFormatError` carry ``problems`` (a list of :class:`Problem` with line
    numbers); :class:`ModelFormatError`; :class:`IndexFormatError`.
"""

from hbm.matching.batch import (
    DEFAULT_THRESHOLD,
    BatchResult,
    IncrementalDeduper,
    ScoredPair,
    dedupe,
    link,
)
from hbm.matching.clustering import Clustering
from hbm.matching.csvio import read_records, write_records
from hbm.matching.dates import DateInterval, DateLevel, compare_dates, parse_date
from hbm.matching.errors import (
    CsvFormatError,
    IndexFormatError,
    InvalidRecordError,
    MatchingError,
    ModelFormatError,
    Problem,
)
from hbm.matching.family import Relative
from hbm.matching.index import Match, NameMatch, PersonIndex
from hbm.matching.names import NameLevel, compare_names, name_tokens, normalize_text, skeleton
from hbm.matching.records import PersonRecord
from hbm.matching.scoring import Explanation, FieldContribution, Model, default_model
from hbm.matching.training import TrainingReport, train

__all__ = [
    "DEFAULT_THRESHOLD",
    "BatchResult",
    "Clustering",
    "CsvFormatError",
    "DateInterval",
    "DateLevel",
    "Explanation",
    "FieldContribution",
    "IncrementalDeduper",
    "IndexFormatError",
    "InvalidRecordError",
    "Match",
    "MatchingError",
    "Model",
    "ModelFormatError",
    "NameLevel",
    "NameMatch",
    "PersonIndex",
    "PersonRecord",
    "Problem",
    "Relative",
    "ScoredPair",
    "TrainingReport",
    "compare_dates",
    "compare_names",
    "dedupe",
    "default_model",
    "link",
    "name_tokens",
    "normalize_text",
    "parse_date",
    "read_records",
    "skeleton",
    "train",
    "write_records",
]
