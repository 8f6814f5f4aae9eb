"""A seeded, invented population for the demo: families crossing into north-eastern DR Congo
from South Sudan, the Central African Republic and Uganda over 60 days, with a surge, and
people who come back through another crossing point under another spelling. Every name is
a common name of the region; every person is invented.

Pure Python (no Django): the matching benchmarks use it as labelled data, since a person who
comes back keeps the ``uid`` of their first registration."""

import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

# Per origin: "male", "female" and "family" name lists, and "arabic" (Latin form → script).
NAMES: dict[str, dict[str, Any]] = {
    "SSD": {
        "male": [
            "Deng",
            "Garang",
            "Akol",
            "Majok",
            "Lado",
            "Wani",
            "Jok",
            "Mabior",
            "Kuol",
            "Malual",
            "Taban",
            "Lokule",
            "Mohammed",
            "Ali",
            "Hassan",
            "Peter",
            "John",
            "James",
            "Emmanuel",
            "Daniel",
            "Juma",
            "Kenyi",
            "Modi",
            "Loku",
        ],
        "female": [
            "Nyandeng",
            "Achol",
            "Ayen",
            "Abuk",
            "Adut",
            "Nyibol",
            "Akuol",
            "Poni",
            "Kiden",
            "Jane",
            "Mary",
            "Grace",
            "Rebecca",
            "Fatima",
            "Amina",
            "Sarah",
            "Viola",
            "Suzan",
        ],
        "family": [
            "Deng",
            "Garang",
            "Majok",
            "Lado",
            "Wani",
            "Kenyi",
            "Taban",
            "Lokule",
            "Malual",
            "Kuol",
            "Juma",
            "Modi",
            "Loku",
            "Mabior",
            "Hassan",
            "Ali",
        ],
        "places": ["Yei", "Morobo", "Kajo-Keji", "Juba", "Kaya", "Lainya", "Yambio"],
        "arabic": {
            "Mohammed": "محمد",
            "Ali": "علي",
            "Hassan": "حسن",
            "Fatima": "فاطمة",
            "Amina": "أمينة",
            "Juma": "جمعة",
        },
    },
    "CAF": {
        "male": [
            "Jean",
            "Pierre",
            "Joseph",
            "Thierry",
            "Serge",
            "Aimé",
            "Fidèle",
            "Brice",
            "Yvon",
            "Abdoulaye",
            "Mahamat",
            "Ousmane",
            "Prosper",
            "Gervais",
        ],
        "female": [
            "Marie",
            "Josiane",
            "Clarisse",
            "Solange",
            "Odette",
            "Aïcha",
            "Hawa",
            "Bernadette",
            "Chantal",
            "Nadège",
            "Florence",
            "Zénabou",
        ],
        "family": [
            "Yakité",
            "Ngaba",
            "Zanga",
            "Koyassambia",
            "Ngoumbango",
            "Mbaïkoua",
            "Feïgoudozo",
            "Sélémby",
            "Kossi",
            "Nzapayéké",
            "Doumta",
            "Mahamat",
        ],
        "places": ["Bangassou", "Rafaï", "Zémio", "Bakouma", "Ouango", "Gambo"],
        "arabic": {"Mahamat": "محمد", "Abdoulaye": "عبد الله", "Ousmane": "عثمان"},
    },
    "UGA": {
        "male": [
            "Okello",
            "Opio",
            "Ocen",
            "Onen",
            "Ojok",
            "Moses",
            "Isaac",
            "Ronald",
            "Denis",
            "Patrick",
            "Godfrey",
        ],
        "female": [
            "Achan",
            "Atim",
            "Akello",
            "Aber",
            "Lanyero",
            "Harriet",
            "Florence",
            "Brenda",
            "Stella",
        ],
        "family": ["Okello", "Opio", "Ocen", "Oryem", "Obura", "Anguyo", "Drani", "Ayikoru"],
        "places": ["Arua", "Koboko", "Nebbi", "Zombo", "Paidha"],
        "arabic": {},
    },
    "COD": {
        "male": [
            "Jean-Pierre",
            "Mumbere",
            "Kasereka",
            "Dieudonné",
            "Justin",
            "Ukumu",
            "Lokana",
            "Ngabu",
            "Dhetchuvi",
            "Bahati",
            "Faustin",
        ],
        "female": [
            "Kahindo",
            "Masika",
            "Furaha",
            "Neema",
            "Esther",
            "Anuarite",
            "Chantal",
            "Ujiga",
            "Aimée",
        ],
        "family": [
            "Lokana",
            "Ngabu",
            "Ukumu",
            "Dhetchuvi",
            "Kasereka",
            "Mumbere",
            "Bahati",
            "Ujiga",
            "Adubango",
            "Lonu",
        ],
        "places": ["Aru", "Mahagi", "Bunia", "Faradje", "Ariwara"],
        "arabic": {},
    },
}
# Spellings that change between one registration and the next.
VARIANTS = {
    "Mohammed": ["Muhammad", "Mohamed", "Mohamad"],
    "Hassan": ["Hasan"],
    "Ali": ["Aly"],
    "Deng": ["Dheng"],
    "Garang": ["Garaang"],
    "Majok": ["Majock"],
    "Achol": ["Acol"],
    "Nyandeng": ["Nyandheng"],
    "Kenyi": ["Keny"],
    "Juma": ["Jumah"],
    "Amina": ["Aminah"],
    "Fatima": ["Fatuma"],
    "Yakité": ["Yakite"],
    "Koyassambia": ["Koyasambia"],
    "Joseph": ["Josef"],
    "Okello": ["Okelo"],
    "Kasereka": ["Kaserekka"],
    "Mahamat": ["Mahamad", "Mohamat"],
    "Abdoulaye": ["Abdullahi", "Abdoulay"],
}
# Which crossing point each origin comes through, and how much of the flow it is.
ROUTES = [
    ("SSD", "aba", 0.35),
    ("SSD", "aru-vurra", 0.15),
    ("CAF", "ndu-bangassou", 0.25),
    ("UGA", "mahagi-goli", 0.10),
    ("COD", "mahagi-goli", 0.15),
]
REASONS = ["conflict"] * 6 + ["family", "economic", "return", "health", "trade"]
TRANSPORT = {
    "aba": ["on_foot", "on_foot", "motorbike", "truck"],
    "aru-vurra": ["on_foot", "bus", "motorbike"],
    "ndu-bangassou": ["boat", "boat", "on_foot"],
    "mahagi-goli": ["on_foot", "bus", "car", "motorbike"],
}


_uids = itertools.count(1)


@dataclass
class DemoPerson:
    given_name: str
    family_name: str
    father_name: str
    sex: str
    date_of_birth: str
    age_estimate: int | None
    nationality: str
    place_of_origin: str
    name_original_script: str = ""
    document_number: str = ""
    relationship: str = "head"
    uid: int = field(default_factory=lambda: next(_uids))


@dataclass
class DemoGroup:
    key: str
    crossing_point: str
    crossed_at: datetime
    origin_country: str
    origin_place: str
    reason: str
    transport: str
    kind: str
    members: list[DemoPerson] = field(default_factory=list)
    returning: list[int] = field(default_factory=list)  # indexes of people seen before


def _daily_arrivals(day: int) -> int:
    """200 to 260 people a day, tripling from day 38 to day 48 (fighting near Kaya)."""
    base = 200 + day
    if 38 <= day <= 48:
        base *= 3
    return base


def _birth(rng: random.Random, age: int, today: date) -> tuple[str, int | None]:
    born = today - timedelta(days=365 * age + rng.randint(0, 364))
    roll = rng.random()
    if roll < 0.35:
        return born.isoformat(), None
    if roll < 0.45:
        return born.isoformat()[:7], None
    if roll < 0.60:
        return f"{born.year}-01-01", None
    if roll < 0.80:
        return str(born.year), None
    return "", age


def _person(
    rng: random.Random, origin: str, sex: str, age: int, family: str, father: str, today: date
) -> DemoPerson:
    names = NAMES[origin]
    given = rng.choice(names["male"] if sex == "M" else names["female"])
    dob, age_estimate = _birth(rng, age, today)
    script = ""
    arabic = names["arabic"]
    if given in arabic and family in arabic and rng.random() < 0.6:
        script = f"{arabic[given]} {arabic[family]}"
    document = ""
    if age >= 18 and rng.random() < 0.3:
        document = f"{origin[:2]}{rng.randint(100000, 999999)}"
    return DemoPerson(
        given,
        family,
        father,
        sex,
        dob,
        age_estimate,
        origin,
        rng.choice(names["places"]),
        script,
        document,
    )


def _family(rng: random.Random, origin: str, today: date) -> list[DemoPerson]:
    names = NAMES[origin]
    size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[22, 14, 16, 18, 14, 10, 6])[0]
    head_sex = "F" if rng.random() < 0.55 else "M"
    head_age = rng.randint(19, 62)
    family = rng.choice(names["family"])
    grandfather = rng.choice(names["male"])
    head = _person(rng, origin, head_sex, head_age, family, grandfather, today)
    members = [head]
    father_of_children = head.given_name if head_sex == "M" else rng.choice(names["male"])
    if size > 1 and rng.random() < 0.5:
        spouse = _person(
            rng,
            origin,
            "M" if head_sex == "F" else "F",
            max(18, head_age + rng.randint(-8, 6)),
            family,
            rng.choice(names["male"]),
            today,
        )
        spouse.relationship = "spouse"
        members.append(spouse)
    while len(members) < size:
        child_age = rng.randint(0, min(17, max(0, head_age - 16)))
        child = _person(rng, origin, rng.choice("FM"), child_age, family, father_of_children, today)
        child.relationship = "child"
        members.append(child)
    for member in members[1:]:
        member.place_of_origin = head.place_of_origin
    if size == 1 and rng.random() < 0.04:
        members[0] = _person(
            rng, origin, rng.choice("FM"), rng.randint(11, 16), family, grandfather, today
        )  # a child alone
    return members


def _variant(rng: random.Random, person: DemoPerson) -> DemoPerson:
    """The same person registered again: another spelling, a vaguer date, a lost document."""
    given = rng.choice(VARIANTS.get(person.given_name, [person.given_name]))
    family = rng.choice(VARIANTS.get(person.family_name, [person.family_name]))
    dob = person.date_of_birth
    if dob and rng.random() < 0.5:
        dob = dob[:4]
    return DemoPerson(
        given,
        family,
        person.father_name,
        person.sex,
        dob,
        person.age_estimate,
        person.nationality,
        person.place_of_origin,
        person.name_original_script,
        person.document_number if rng.random() < 0.3 else "",
        person.relationship,
        uid=person.uid,
    )


def demo_population(
    *, days: int = 60, seed: int = 2026, today: date | None = None, scale: float = 1.0
) -> list[DemoGroup]:
    global _uids
    _uids = itertools.count(1)
    rng = random.Random(seed)
    today = today or datetime.now(UTC).date()
    first_day = today - timedelta(days=days - 1)
    groups: list[DemoGroup] = []
    seen: list[DemoPerson] = []
    for day in range(days):
        target = int(_daily_arrivals(day) * scale)
        arrivals = 0
        while arrivals < target:
            origin, point, _ = rng.choices(ROUTES, weights=[w for *_, w in ROUTES])[0]
            when = datetime.combine(
                first_day + timedelta(days=day),
                time(rng.randint(6, 18), rng.randint(0, 59)),
                tzinfo=UTC,
            )
            group = DemoGroup(
                key=f"{day}-{len(groups)}",
                crossing_point=point,
                crossed_at=when,
                origin_country=origin,
                origin_place=rng.choice(NAMES[origin]["places"]),
                reason=rng.choice(REASONS),
                transport=rng.choice(TRANSPORT[point]),
                kind="household",
            )
            if seen and rng.random() < 0.06:
                group.members = [_variant(rng, rng.choice(seen))]
                group.members[0].relationship = "head"
                group.kind = "individual"
                group.returning = [0]
            else:
                group.members = _family(rng, origin, today)
                group.kind = "individual" if len(group.members) == 1 else "household"
                seen.extend(m for m in group.members if m.relationship != "child")
            groups.append(group)
            arrivals += len(group.members)
    return groups
