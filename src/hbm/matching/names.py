"""Name normalisation, transliteration, particles, variant groups and skeleton keys.

Pipeline for a name string: NFKC → Arabic-script particle handling → transliteration to
Latin with ``anyascii`` → casefold → diacritics and punctuation removed → tokens →
Latin particle handling (al-/el- dropped, bin/ibn dropped, abu/abd+next joined).
Every function here is total: it accepts any ``str`` and never raises.
"""

from __future__ import annotations

import re
import unicodedata
from enum import IntEnum
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler

from hbm.matching.variants import VARIANT_GROUPS

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ARABIC_MAP = str.maketrans({"ة": "a", "ى": "a", "ـ": ""})
_AR_DROP = frozenset({"بن", "ابن", "بنت", "إبن"})
_AR_JOIN = frozenset({"عبد", "ابو", "أبو", "ابي", "أبي"})

_ARTICLES = frozenset({"al", "el", "ul", "ol", "ar", "ur", "as", "ad", "an", "az", "ash", "ad-"})
_PATRONYMIC = frozenset({"bin", "ibn", "ben", "bint", "binti", "ould"})
_ABU = frozenset({"abu", "abou", "abo"})
_ABD = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdur", "abdu", "abdou"})
_ABD_PREFIXES = (
    "abdoul",
    "abdul",
    "abdel",
    "abdal",
    "abdol",
    "abdur",
    "abdus",
    "abdar",
    "abdou",
    "abdi",
    "abdu",
    "abd",
)
_VOWELS = frozenset("aeiouyw")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _arabic_tokens(text: str) -> str:
    """Handle Arabic-script particles before transliteration (ال, بن, عبد, ابو)."""
    out: list[str] = []
    pending = ""
    for tok in text.translate(_ARABIC_MAP).split():
        if _ARABIC.search(tok):
            if tok in _AR_DROP and out:
                continue
            if tok in _AR_JOIN:
                pending += tok
                continue
            if tok.startswith("ال") and (len(tok) > 3 or (pending and len(tok) > 2)):
                tok = tok[2:]
        out.append(pending + tok)
        pending = ""
    if pending:
        out.append(pending)
    return " ".join(out)


@lru_cache(maxsize=200_000)
def normalize_text(text: str) -> str:
    """NFKC, transliterate to Latin, casefold, strip diacritics and punctuation.

    Returns lower-case ASCII words separated by single spaces (hyphens split words,
    apostrophes vanish).
    """
    text = unicodedata.normalize("NFKC", text)
    if _ARABIC.search(text):
        text = _arabic_tokens(text)
    text = text.replace("'", "").replace("`", "").replace("\u2019", "").replace("\u02bf", "")
    latin = anyascii(_strip_marks(text)).casefold()
    latin = latin.replace("'", "").replace("`", "")
    return _NON_ALNUM.sub(" ", latin).strip()


def _split_abd(tok: str) -> str:
    for prefix in _ABD_PREFIXES:
        if tok.startswith(prefix) and len(tok) >= len(prefix) + 3:
            return "abd" + tok[len(prefix) :]
    return tok


@lru_cache(maxsize=200_000)
def name_tokens(text: str) -> tuple[str, ...]:
    """Normalised name tokens with particles handled: "Abdul Rahman" → ("abdrahman",)."""
    words = normalize_text(text).split()
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if n > 1 and w in _ARTICLES and i + 1 < n:
            i += 1
            continue
        if w in _PATRONYMIC and 0 < i < n - 1:
            i += 1
            continue
        if (w in _ABD or w in _ABU) and i + 1 < n:
            j = i + 1
            if words[j] in _ARTICLES and j + 1 < n:
                j += 1
            head = "abd" if w in _ABD else "abu"
            out.append(head + words[j])
            i = j + 1
            continue
        out.append(_split_abd(w))
        i += 1
    return tuple(out)


def _raw_skeleton(tok: str) -> str:
    s = tok.replace("ch", "sh").replace("ph", "f").replace("th", "s").replace("dh", "z")
    s = s.replace("q", "k").replace("c", "k").replace("x", "ks").replace("ou", "u")
    out: list[str] = []
    for ch in s:
        if ch in _VOWELS or ch.isdigit():
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    if len(out) > 1 and out[-1] == "h" and out[-2] not in "sckgdtz":
        out.pop()
    return "".join(out)


def _build_groups() -> dict[str, str]:
    variant_of: dict[str, str] = {}
    for line in VARIANT_GROUPS:
        members = [t for word in line.split() for t in name_tokens(word)]
        if not members:
            continue
        canon = members[0]
        for m in members:
            variant_of.setdefault(m, canon)
    return variant_of


VARIANT_OF: dict[str, str] = _build_groups()


def canonical(token: str) -> str:
    """The canonical spelling of ``token``'s variant group, or ``token`` itself."""
    return VARIANT_OF.get(token, token)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant skeleton of a normalised token (vowels, y/w, doubles dropped).

    The token is first mapped to its variant group's canonical spelling, so
    "Mohamed", "Muhammad" and Arabic "محمد" all give "mhmd".
    """
    return _raw_skeleton(canonical(token))


class NameLevel(IntEnum):
    """Agreement level between two names, best (0) to worst."""

    EXACT = 0
    VARIANT = 1
    SIMILAR = 2
    PHONETIC = 3
    FUZZY = 4
    PARTIAL = 5
    DIFFERENT = 6


SIMILAR_THRESHOLD = 0.92
FUZZY_THRESHOLD = 0.8


def _jw(a: str, b: str) -> float:
    return max(JaroWinkler.normalized_similarity(a, b), JaroWinkler.normalized_similarity(b, a))


def token_level(a: str, b: str) -> tuple[NameLevel, float]:
    """Level and similarity in [0, 1] of two normalised tokens (symmetric)."""
    if a == b:
        return NameLevel.EXACT, 1.0
    ca, cb = VARIANT_OF.get(a), VARIANT_OF.get(b)
    if ca is not None and ca == cb:
        return NameLevel.VARIANT, 0.98
    sim = min(_jw(a, b), 0.97)
    if sim >= SIMILAR_THRESHOLD:
        return NameLevel.SIMILAR, sim
    if ca is None or cb is None:
        sa, sb = skeleton(a), skeleton(b)
        if sa == sb and len(sa) >= 2:
            return NameLevel.PHONETIC, max(sim, 0.9)
    return (NameLevel.FUZZY if sim >= FUZZY_THRESHOLD else NameLevel.DIFFERENT), sim


@lru_cache(maxsize=500_000)
def align_tokens(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[NameLevel, float, int]:
    """Order-free alignment of two token lists.

    Returns (level, mean similarity of the shorter list's aligned tokens, number of tokens
    aligned at FUZZY or better). Total and symmetric.
    """
    if not a or not b:
        return NameLevel.DIFFERENT, 0.0, 0
    if len(a) > len(b) or (len(a) == len(b) and a > b):
        a, b = b, a
    used: set[int] = set()
    worst = NameLevel.EXACT
    total = 0.0
    good = 0
    for tok in a:
        best_j, best_lv, best_sim = -1, NameLevel.DIFFERENT, -1.0
        for j, other in enumerate(b):
            if j in used:
                continue
            lv, sim = token_level(tok, other)
            if (sim, -lv) > (best_sim, -best_lv):
                best_j, best_lv, best_sim = j, lv, sim
        if best_j >= 0:
            used.add(best_j)
        worst = max(worst, best_lv)
        total += max(best_sim, 0.0)
        good += best_lv <= NameLevel.FUZZY
    mean = total / len(a)
    if len(a) != len(b):
        worst = NameLevel.PARTIAL if good else NameLevel.DIFFERENT
    elif worst == NameLevel.DIFFERENT and good:
        worst = NameLevel.PARTIAL
    if len(a) + len(b) > 2 and worst > NameLevel.SIMILAR:
        lv, sim = token_level("".join(a), "".join(b))
        if lv < worst:
            return lv, sim, max(good, 1)
    return worst, mean, good


def compare_names(a: str, b: str) -> NameLevel:
    """Agreement level of two free-text names (any script, any token order)."""
    level, _, _ = align_tokens(name_tokens(a), name_tokens(b))
    return level
