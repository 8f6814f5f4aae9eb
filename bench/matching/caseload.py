"""A seeded population that looks like a real caseload, for the namesake benchmarks.

Unlike ``synth.py`` (a few dozen names drawn uniformly) and the demo (19,000 people at one
border), names here follow Zipf-like frequencies per country, so that the most common names
are very common and most arrivals have namesakes; people come in households (siblings share
their father's and family name); dates are a real registry's mix of full dates, 01-01 and
07-01 placeholders, the 15th of a month, year-only dates and age estimates.

A :class:`Person` is the truth about someone; a *rendering* is what one desk wrote down:

* :meth:`Caseload.registration` — a first registration (the fields of ``registry.Person``);
* :meth:`Caseload.returning` — the same person registering again somewhere else: another
  transliteration, typos, swapped or missing name parts, a placeholder instead of the real
  date (or the other way round), another document or none;
* :meth:`Caseload.watchlist_entry` — how a list (CSV or FollowTheMoney) carries the person
  (the fields of ``security.WatchlistEntry``; FtM nationalities are alpha-2).

Renderings are dicts keyed by the model fields, ``nationality`` holding the written form;
:func:`as_record` turns one into a :class:`hbm.matching.PersonRecord` without Django, as
``hbm.registry.identity`` does. Everything is deterministic for a seed; each stream
(``"registry"``, ``"arrivals"``…) has its own generator, so sizes do not shift each other.

    from matching.caseload import Caseload
    world = Caseload(seed=17)
    people = world.households(100_000, stream="registry")     # list[Person]
    row = world.returning(people[0], world.rng("returns"))     # dict
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from matching.caseload_names import (
    ABD_FORMS,
    AFGHAN_PREFIX,
    AFGHAN_SUFFIX,
    ALPHA2,
    ARABIC,
    ARABIC_SCRIPT,
    BANTU,
    COUNTRY_NAMES,
    COUNTRY_WEIGHTS,
    DIVINE,
    ETH_PREFIX,
    ETH_SUFFIX,
    IGBO,
    NAME_CHAIN,
    NAMES,
    NILOTIC,
    NO_FAMILY_NAME,
    PHONE_PREFIX,
    ROOT_NAMES,
    ROOT_NAMES_F,
    SPELLINGS,
    YORUBA,
)
from matching.synth import typo

from hbm.matching import PersonRecord

REFERENCE_YEAR = 2026
# Zipf exponent of name ranks: the top name of a country is several % of its people.
ZIPF = 1.0  # with TAIL: about half of new arrivals share all three names at 10**6
TAIL = 600  # rarer names appended after each hand-written list

# How a registration writes a date of birth (cumulative shares; the rest is left empty).
DATE_FORMS = (
    ("full", 0.42),
    ("jan1", 0.62),  # YYYY-01-01
    ("jul1", 0.68),  # YYYY-07-01
    ("mid", 0.71),  # YYYY-MM-15 where the month is known
    ("year", 0.80),  # YYYY
    ("age", 0.88),  # no date, an estimated age
    ("from_age", 0.95),  # YYYY-01-01 computed from an estimated age (a year or two off)
)
PLACEHOLDER_FORMS = ("jan1", "jul1", "mid", "from_age")


@dataclass(frozen=True, slots=True)
class Person:
    """The truth about one person (names in the spelling of their country)."""

    uid: int
    country: str
    sex: str
    given: str
    father: str
    family: str
    birth: date
    household: int
    role: str = "head"  # in the household: head, spouse or child
    documents: tuple[tuple[str, str], ...] = ()  # (document_type, number)
    phone: str = ""

    @property
    def names(self) -> tuple[str, str, str]:
        return (self.given, self.father, self.family)


@dataclass
class _Pool:
    names: list[str]
    cumulative: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        weights = [1 / (rank + 1) ** ZIPF for rank in range(len(self.names))]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        return self.names[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def share(self, name: str) -> float:
        """The share of draws that give ``name`` (0 if it is not in the pool)."""
        total, before = self.cumulative[-1], 0.0
        for n, c in zip(self.names, self.cumulative, strict=True):
            if n == name:
                return (c - before) / total
            before = c
        return 0.0


def _tail(country: str, sex: str, rng: random.Random) -> list[str]:
    """Rarer names of the country's culture, in a fixed pseudo-random order."""
    if country in ("AFG", "IRQ", "SYR", "LBN", "SDN"):
        roots = ROOT_NAMES if sex == "M" else ROOT_NAMES_F
        out = list(roots)
        if sex == "M":
            abd = "Abdel {}" if country == "SDN" else "Abdul {}"
            out += [abd.format(d) for d in DIVINE]
            if country == "AFG":
                out += [f"{p} {d}" for p in AFGHAN_PREFIX for d in DIVINE + ROOT_NAMES]
                out += [d + s for d in DIVINE for s in AFGHAN_SUFFIX]
    elif country == "ETH":
        out = [p + s for p in ETH_PREFIX for s in ETH_SUFFIX]
    elif country == "NGA":
        out = [p + s for pre, suf in (YORUBA, IGBO) for p in pre for s in suf]
        out += list(ROOT_NAMES if sex == "M" else ROOT_NAMES_F)
    else:
        syllables = BANTU if country == "COD" else NILOTIC
        out = sorted({"".join(rng.sample(syllables, 3)).capitalize() for _ in range(900)})
    rng.shuffle(out)
    return out[:TAIL]


def spell(rng: random.Random, name: str, p_variant: float) -> str:
    """Write ``name`` as a clerk might: with probability ``p_variant`` each part in another
    usual transliteration (``Abdul Rahman`` → ``Abdurrahman``, ``Abd al-Rahman``…)."""
    parts = name.split(" ")
    if len(parts) == 2 and parts[0] in ("Abdul", "Abdel") and rng.random() < p_variant:
        root = parts[1]
        if rng.random() < 0.3 and root[0] in "RSNZTD":
            return f"Abd{'u' if rng.random() < 0.5 else 'e'}{root[0].lower()}{root.lower()}"
        return rng.choice(ABD_FORMS).format(root)
    out = []
    for part in parts:
        if part in SPELLINGS and rng.random() < p_variant:
            part = rng.choice(SPELLINGS[part])
        out.append(part)
    return " ".join(out)


def arabic(*names: str) -> str:
    """The names in Arabic script, or "" when one of them has no usual Arabic spelling."""
    out = []
    for name in names:
        if not name:
            continue
        parts = name.split(" ")
        if len(parts) == 2 and parts[0] in ("Abdul", "Abdel") and parts[1] in ARABIC:
            out.append("عبد ال" + ARABIC[parts[1]].removeprefix("ال"))
        elif name in ARABIC:
            out.append(ARABIC[name])
        else:
            return ""
    return " ".join(out)


def written_nationality(code: str, form: str) -> str:
    """``code`` (alpha-3) written as ``alpha3``, ``alpha2`` (FollowTheMoney) or ``name``."""
    if not code or form == "alpha3":
        return code
    return ALPHA2[code] if form == "alpha2" else COUNTRY_NAMES[code]


def as_record(row: dict[str, object], rid: str) -> PersonRecord:
    """A rendering as the engine's record, mapped as ``hbm.registry.identity`` maps a Person
    (aliases and the original-script name go to ``other_names``)."""
    other = "; ".join(
        str(n) for n in (row.get("other_names"), row.get("name_original_script")) if n
    )
    age = row.get("age_estimate")
    return PersonRecord(
        id=rid,
        given_name=str(row.get("given_name", "")),
        family_name=str(row.get("family_name", "")),
        father_name=str(row.get("father_name", "")),
        other_names=other,
        sex=str(row.get("sex", "")),
        date_of_birth=str(row.get("date_of_birth", "")),
        age_estimate=age if isinstance(age, int) else None,
        nationality=str(row.get("nationality", "")),
        document_number=str(row.get("document_number", "")),
        phone=str(row.get("phone", "")),
        place_of_origin=str(row.get("place_of_origin", "")),
    )


class Caseload:
    """The population's name distributions and renderings, deterministic for a seed."""

    def __init__(self, seed: int = 17, reference_year: int = REFERENCE_YEAR) -> None:
        self.seed = seed
        self.reference_year = reference_year
        self._uids = itertools.count(1)
        self._households = itertools.count(1)
        self._countries = list(COUNTRY_WEIGHTS)
        self._country_cum = list(itertools.accumulate(COUNTRY_WEIGHTS.values()))

    def rng(self, stream: str) -> random.Random:
        """The random generator of one stream (a fresh one each call: same seed, same draws)."""
        return random.Random(f"{self.seed}:{stream}")

    @cached_property
    def pools(self) -> dict[tuple[str, str], _Pool]:
        rng = random.Random(f"{self.seed}:names")
        out = {}
        for country, (male, female, family) in NAMES.items():
            out[country, "M"] = _Pool([*male, *_tail(country, "M", rng)])
            out[country, "F"] = _Pool([*female, *_tail(country, "F", rng)])
            if family:
                out[country, "family"] = _Pool(list(family))
        return out

    # -- people -----------------------------------------------------------------------------
    def country(self, rng: random.Random) -> str:
        return self._countries[bisect(self._country_cum, rng.random() * self._country_cum[-1])]

    def _family_name(self, rng: random.Random, country: str) -> str:
        if rng.random() < NO_FAMILY_NAME.get(country, 0.0):
            return ""
        if rng.random() < NAME_CHAIN.get(country, 0.0):
            return self.pools[country, "M"].draw(rng)  # the grandfather's given name
        return self.pools[country, "family"].draw(rng)

    def _birth(self, rng: random.Random, low: int, high: int) -> date:
        """A birth day of someone aged ``low``..``high`` years on 1 January of the reference
        year."""
        start = date(self.reference_year - high - 1, 1, 2)
        end = date(self.reference_year - low, 1, 1)
        return start + timedelta(days=rng.randrange((end - start).days))

    def _person(
        self,
        rng: random.Random,
        country: str,
        sex: str,
        names: tuple[str, str, str],
        birth: date,
        household: int,
        role: str = "head",
    ) -> Person:
        """A person with the documents and phone someone of that age may carry."""
        adult = birth.year <= self.reference_year - 18
        documents = []
        if adult and rng.random() < 0.25:
            documents.append(("passport", f"{country[0]}{rng.randrange(10**7, 10**8)}"))
        if adult and rng.random() < 0.35:
            documents.append(("national_id", f"{rng.randrange(10**10, 10**11)}"))
        if not adult and rng.random() < 0.15:
            documents.append(("birth_certificate", f"BC{rng.randrange(10**6, 10**7)}"))
        phone = ""
        if adult and rng.random() < 0.45:
            phone = f"+{PHONE_PREFIX[country]}{rng.randrange(10**8, 10**9)}"
        given, father, family = names
        return Person(
            next(self._uids),
            country,
            sex,
            given,
            father,
            family,
            birth,
            household,
            role,
            tuple(documents),
            phone,
        )

    def household(self, rng: random.Random) -> list[Person]:
        """One household: a head, often a spouse, children sharing the father's names."""
        country, hid = self.country(rng), next(self._households)
        pools = self.pools
        members: list[Person] = []
        size = min(9, max(1, round(rng.lognormvariate(1.1, 0.6))))
        head_sex = "M" if rng.random() < 0.75 else "F"
        head_birth = self._birth(rng, 20, 65)
        father_of_children = ""
        family = self._family_name(rng, country)
        head_given = pools[country, head_sex].draw(rng)
        head_father = pools[country, "M"].draw(rng)
        if country == "ETH":  # given, father, grandfather: no shared family name
            family = pools[country, "M"].draw(rng)
        members.append(
            self._person(rng, country, head_sex, (head_given, head_father, family), head_birth, hid)
        )
        if head_sex == "M":
            father_of_children = head_given
            children_family = head_father if country == "ETH" else family
        else:  # a mother alone with her children: their father's names are their own
            father_of_children = pools[country, "M"].draw(rng)
            children_family = (
                pools[country, "M"].draw(rng)
                if country == "ETH"
                else (self._family_name(rng, country))
            )
        if size > 1 and head_sex == "M" and rng.random() < 0.8:
            birth = self._birth(rng, max(18, self.reference_year - head_birth.year - 12), 60)
            members.append(
                self._person(
                    rng,
                    country,
                    "F",
                    (
                        pools[country, "F"].draw(rng),
                        pools[country, "M"].draw(rng),
                        self._family_name(rng, country),
                    ),
                    birth,
                    hid,
                    "spouse",
                )
            )
        oldest = min(25, max(0, self.reference_year - head_birth.year - 18))
        for _ in range(size - len(members)):
            sex = rng.choice("MF")
            birth = self._birth(rng, 0, oldest)
            members.append(
                self._person(
                    rng,
                    country,
                    sex,
                    (pools[country, sex].draw(rng), father_of_children, children_family),
                    birth,
                    hid,
                    "child",
                )
            )
        return members

    def households(self, n: int, *, stream: str) -> list[Person]:
        """At least ``n`` people, household by household, cut at ``n``."""
        rng = self.rng(stream)
        out: list[Person] = []
        while len(out) < n:
            out += self.household(rng)
        return out[:n]

    def people(self, n: int, *, stream: str) -> Iterator[Person]:
        """``n`` unrelated people drawn like registry members (one per household)."""
        rng = self.rng(stream)
        for _ in range(n):
            yield rng.choice(self.household(rng))

    def sibling(self, person: Person, rng: random.Random) -> Person:
        """A new brother or sister of ``person``: same father's and family name."""
        sex = rng.choice("MF")
        age = self.reference_year - person.birth.year
        birth = self._birth(rng, max(0, age - 8), age + 8)
        given = self.pools[person.country, sex].draw(rng)
        return self._person(
            rng,
            person.country,
            sex,
            (given, person.father, person.family),
            birth,
            person.household,
            "sibling",
        )

    # -- renderings -------------------------------------------------------------------------
    def _date(self, rng: random.Random, birth: date) -> tuple[str, int | None]:
        r = rng.random()
        form = next((f for f, c in DATE_FORMS if r < c), "none")
        y = birth.year
        if form == "full":
            return birth.isoformat(), None
        if form == "jan1":
            return f"{y}-01-01", None
        if form == "jul1":
            return f"{y}-07-01", None
        if form == "mid":
            return f"{y}-{birth.month:02d}-15", None
        if form == "year":
            return str(y), None
        age = max(0, self.reference_year - y + round(rng.gauss(0, 1.5)))
        if form == "age":
            return "", age
        if form == "from_age":
            return f"{self.reference_year - age}-01-01", age
        return "", None

    def registration(
        self, person: Person, rng: random.Random, *, p_variant: float = 0.2
    ) -> dict[str, object]:
        """What a registration desk writes down (fields of ``registry.Person``)."""
        given = spell(rng, person.given, p_variant)
        father = spell(rng, person.father, p_variant)
        family = spell(rng, person.family, p_variant)
        script = ""
        if person.country in ARABIC_SCRIPT and rng.random() < 0.25:
            script = arabic(person.given, person.father, person.family)
        dob, age = self._date(rng, person.birth)
        doc_type = doc = ""
        if person.documents and rng.random() < 0.7:
            doc_type, doc = rng.choice(person.documents)
        return {
            "given_name": given,
            "family_name": family,
            "father_name": father,
            "other_names": "",
            "name_original_script": script,
            "sex": person.sex if rng.random() < 0.99 else "",
            "date_of_birth": dob,
            "age_estimate": age,
            "nationality": person.country if rng.random() < 0.97 else "",
            "document_type": doc_type,
            "document_number": doc,
            "phone": person.phone if rng.random() < 0.8 else "",
            "place_of_origin": "",
        }

    def returning(
        self, person: Person, rng: random.Random, variants: list[str] | None = None
    ) -> dict[str, object]:
        """The person registering again: another desk, spelling, date form, document. The
        name variants applied are appended to ``variants`` when given."""
        tags = [] if variants is None else variants
        row = self.registration(person, rng, p_variant=0.35)
        for key in ("given_name", "father_name", "family_name"):
            value = str(row[key])
            if value and rng.random() < 0.12:
                row[key] = " ".join(typo(rng, p) for p in value.split(" "))
                tags.append("typo")
        r = rng.random()
        if r < 0.05:
            row["given_name"], row["family_name"] = row["family_name"], row["given_name"]
            tags.append("given and family name swapped")
        elif r < 0.08:
            row["family_name"], row["father_name"] = row["father_name"], row["family_name"]
            tags.append("father's and family name swapped")
        elif r < 0.20:
            row["father_name"] = ""
            tags.append("no father's name")
        elif r < 0.25:
            row["family_name"] = ""
            tags.append("no family name")
        if row["phone"] and rng.random() < 0.3:
            row["phone"] = f"+{PHONE_PREFIX[person.country]}{rng.randrange(10**8, 10**9)}"
        return row

    def watchlist_entry(self, person: Person, rng: random.Random) -> dict[str, object]:
        """How a watchlist carries the person (fields of ``security.WatchlistEntry``).
        FollowTheMoney lists (40 %) write nationalities as alpha-2 and often only a full name;
        aliases add other transliterations and the Arabic script."""
        ftm = rng.random() < 0.4
        given = spell(rng, person.given, 0.3)
        father = spell(rng, person.father, 0.3) if rng.random() < 0.4 else ""
        family = spell(rng, person.family, 0.3)
        aliases = []
        if rng.random() < 0.3:
            aliases.append(" ".join(n for n in (spell(rng, person.given, 0.8), family) if n))
        if person.country in ARABIC_SCRIPT and rng.random() < 0.3:
            script = arabic(person.given, person.father, person.family)
            if script:
                aliases.append(script)
        if ftm and rng.random() < 0.5:  # a full name only, no structured parts
            aliases.insert(0, " ".join(n for n in (given, father, family) if n))
            given = father = family = ""
        r = rng.random()
        y = person.birth.year
        dob = (
            person.birth.isoformat()
            if r < 0.5
            else str(y)
            if r < 0.8
            else f"{y}-01-01"
            if r < 0.9
            else ""
        )
        doc = ""
        if person.documents and rng.random() < 0.35:
            doc = person.documents[0][1]
        return {
            "given_name": given,
            "family_name": family,
            "father_name": father,
            "other_names": "; ".join(aliases),
            "date_of_birth": dob,
            "nationality": written_nationality(person.country, "alpha2" if ftm else "alpha3"),
            "document_number": doc,
        }
