"""Search by name alone: which indexed records carry names like the words typed.

A name search is not a registration's duplicate check: it has one to a few words, often a
single given or family name, a prefix of one, a misspelling, or the name in its original
script. Blocking keys need two names (or a name and a birth year), so this is a separate,
smaller index: each normalised name token (any name part, other names and the original
script included, transliterated) → the slots of the records carrying it.

A query word is looked up in the vocabulary of distinct tokens (tens of thousands at a
million records), never in the records: the same token, a token it begins, a token one or two
letters away, or a token of the same spelling variant or consonant skeleton. Each record then
scores the mean, over the query's words, of its best token's similarity — its *likeness*,
computed in numpy over the slots of the matched tokens only.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein, Prefix

from hbm.matching.names import skeleton, token_level

#: A prefix is a query word of at least this many letters (one letter would match a share of
#: the whole vocabulary).
MIN_PREFIX = 2
#: Letters a query word may be off by (insertions, deletions, substitutions) per its length.
TYPO_ALLOWANCE = ((4, 1), (999, 2))  # up to 4 letters: one; longer: two
#: Query words looked at: a name has a handful; a pasted paragraph is cut here.
MAX_QUERY_TOKENS = 6
#: A record below this likeness is not a result (in a query of two words, one of them found
#: gives 0.5: kept; in three, one found gives 0.33: dropped).
MIN_LIKENESS = 0.5
#: A token less like the query word than this is not counted (two letters off in a short
#: name can make another name altogether).
MIN_SIMILARITY = 0.7
#: A name that the query word begins ("Kah" for "Kahindo") is a likely result, below the
#: spellings one letter off.
PREFIX_SIMILARITY = 0.85


@dataclass(frozen=True, slots=True)
class NameHit:
    """One result of a name search: the slot of the record and its likeness in [0, 1]."""

    slot: int
    likeness: float


def _typos(length: int) -> int:
    for up_to, allowed in TYPO_ALLOWANCE:
        if length <= up_to:
            return allowed
    return TYPO_ALLOWANCE[-1][1]


class NameTokenIndex:
    """Name token → record slots, with the vocabulary to look query words up in."""

    def __init__(self) -> None:
        self._slots: dict[str, array[int]] = {}
        self._vocabulary: list[str] = []
        self._by_skeleton: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self._vocabulary)

    def add(self, slot: int, tokens: Iterable[str]) -> None:
        for token in set(tokens):
            slots = self._slots.get(token)
            if slots is None:
                slots = self._slots[token] = array("q")
                self._vocabulary.append(token)
                self._by_skeleton.setdefault(skeleton(token), []).append(token)
            slots.append(slot)

    def similar_tokens(self, word: str) -> dict[str, float]:
        """Vocabulary tokens like ``word``, each with its similarity in (0, 1]."""
        vocabulary = self._vocabulary
        found: set[str] = set(self._by_skeleton.get(skeleton(word), ()))
        if word in self._slots:
            found.add(word)
        if len(word) >= MIN_PREFIX:
            found.update(
                token
                for token, _, _ in process.extract(
                    word, vocabulary, scorer=Prefix.similarity, score_cutoff=len(word), limit=None
                )
            )
        if len(word) > MIN_PREFIX:
            found.update(
                token
                for token, _, _ in process.extract(
                    word,
                    vocabulary,
                    scorer=Levenshtein.distance,
                    score_cutoff=_typos(len(word)),
                    limit=None,
                )
            )
        alike = {token: _similarity(word, token) for token in found}
        return {token: sim for token, sim in alike.items() if sim >= MIN_SIMILARITY}

    def search(
        self,
        words: Sequence[str],
        *,
        size: int,
        live: Callable[[int], bool],
        limit: int,
        narrow: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> list[NameHit]:
        """The records most like ``words`` (normalised query tokens), best first, at most
        ``limit``; ``size`` bounds the slots, ``live`` tells a slot still indexed, ``narrow``
        keeps those of the slots found (an array) that the caller wants. Among equals, the
        newest record (highest slot) first."""
        hits: list[NameHit] = []
        for part in self.ranking(words, size=size, narrow=narrow, chunk=limit):
            hits.extend(NameHit(slot, likeness) for slot, likeness in part if live(slot))
            if len(hits) >= limit:
                break
        return hits[:limit]

    def ranking(
        self,
        words: Sequence[str],
        *,
        size: int,
        chunk: int,
        narrow: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> Iterator[list[tuple[int, float]]]:
        """The search's whole ranking (see :meth:`search`) as (slot, likeness), ``chunk``
        slots at a time, live or not: every likeness is computed once, and the pairs are
        made only as far as the caller reads."""
        words = list(dict.fromkeys(words))[:MAX_QUERY_TOKENS]
        if not words or size == 0:
            return
        total = np.zeros(size, dtype=np.float64)
        for word in words:
            best = np.zeros(size, dtype=np.float64)
            for token, similarity in self.similar_tokens(word).items():
                # Iterated, not a buffer view: a writer may append to it meanwhile.
                posting = self._slots[token]
                slots = np.fromiter(posting, dtype=np.int64, count=len(posting))
                slots = slots[slots < size]  # records added since the search began
                np.maximum.at(best, slots, similarity)
            total += best
        likeness = total / len(words)
        chosen = np.flatnonzero(likeness >= MIN_LIKENESS)
        if narrow is not None and len(chosen):
            chosen = narrow(chosen)
        ordered = chosen[np.lexsort((-chosen, -likeness[chosen]))]
        for start in range(0, len(ordered), chunk):
            part = ordered[start : start + chunk]
            yield list(zip(part.tolist(), np.round(likeness[part], 4).tolist(), strict=True))


def _similarity(word: str, token: str) -> float:
    """How alike a query word and a name token are: 1 when equal; a name the word begins
    is as alike as the two spellings are, and no less than a close misspelling."""
    if word == token:
        return 1.0
    _, similarity = token_level(word, token)
    if token.startswith(word):
        return max(similarity, PREFIX_SIMILARITY)
    return similarity
