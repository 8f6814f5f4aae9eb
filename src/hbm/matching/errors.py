"""Exception hierarchy of the matching engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input, with its 1-based line number (0 = whole input)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class MatchingError(Exception):
    """Base class of every error raised by :mod:`hbm.matching`."""


class InvalidRecordError(MatchingError, ValueError):
    """A record (or a set of records) is invalid; ``problems`` lists every problem."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(0, problems)]
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class CsvFormatError(InvalidRecordError):
    """A CSV file cannot be read as person records; ``problems`` has line numbers."""


class ModelFormatError(MatchingError, ValueError):
    """A model file or model dictionary is malformed."""


class IndexFormatError(MatchingError, ValueError):
    """A saved index file is malformed or was written by an incompatible version."""
