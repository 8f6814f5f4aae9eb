"""Seeded generator of synthetic registrations (Afghanistan, Iraq, Syria, Sudan, South Sudan,
DR Congo) with Latin and Arabic-script names, spelling variants, typos and partial dates.

All names below are common given and family names written down by the engine's author
from general knowledge (no list was copied); Arabic-script forms are the usual spellings.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

from hbm.matching import PersonRecord
from hbm.matching.variants import VARIANT_GROUPS

AR = {
    "Mohammed": "محمد",
    "Ahmed": "أحمد",
    "Ali": "علي",
    "Hussein": "حسين",
    "Hassan": "حسن",
    "Omar": "عمر",
    "Khalid": "خالد",
    "Mustafa": "مصطفى",
    "Youssef": "يوسف",
    "Ibrahim": "إبراهيم",
    "Abdullah": "عبد الله",
    "Mahmoud": "محمود",
    "Ammar": "عمار",
    "Bilal": "بلال",
    "Tariq": "طارق",
    "Walid": "وليد",
    "Samir": "سمير",
    "Firas": "فراس",
    "Haidar": "حيدر",
    "Abbas": "عباس",
    "Osman": "عثمان",
    "Adam": "آدم",
    "Babiker": "بابكر",
    "Yagoub": "يعقوب",
    "Hamid": "حامد",
    "Siddig": "صديق",
    "Ishag": "إسحاق",
    "Abdelrahman": "عبد الرحمن",
    "Elamin": "الأمين",
    "Fatima": "فاطمة",
    "Aisha": "عائشة",
    "Zainab": "زينب",
    "Maryam": "مريم",
    "Noor": "نور",
    "Layla": "ليلى",
    "Huda": "هدى",
    "Rania": "رانيا",
    "Sara": "سارة",
    "Amal": "أمل",
    "Hiba": "هبة",
    "Samira": "سميرة",
    "Amna": "آمنة",
    "Hawa": "حواء",
    "Khadija": "خديجة",
    "Safia": "صفية",
    "Halima": "حليمة",
    "Nafisa": "نفيسة",
    "Haddad": "حداد",
    "Khoury": "خوري",
    "Mansour": "منصور",
    "Hamdan": "حمدان",
    "Saleh": "صالح",
    "Jaber": "جابر",
    "Barakat": "بركات",
    "Al-Masri": "المصري",
    "Al-Hassan": "الحسن",
    "Najjar": "نجار",
    "Darwish": "درويش",
    "Al-Rawi": "الراوي",
    "Al-Jubouri": "الجبوري",
    "Al-Tamimi": "التميمي",
    "Al-Obaidi": "العبيدي",
    "Halabi": "حلبي",
    "Kurdi": "كردي",
    "Aziz": "عزيز",
    "Shammari": "الشمري",
    "Ahmad": "احمد",
    "Gul": "گل",
    "Karim": "کریم",
    "Rahim": "رحیم",
    "Najib": "نجیب",
    "Farid": "فرید",
    "Sayed": "سید",
    "Wahid": "وحید",
    "Habib": "حبیب",
    "Nadia": "نادیه",
    "Shabnam": "شبنم",
    "Farzana": "فرزانه",
    "Parwana": "پروانه",
    "Zahra": "زهرا",
    "Soraya": "ثریا",
    "Karimi": "کریمی",
    "Hakimi": "حکیمی",
    "Nazari": "نظری",
    "Rahimi": "رحیمی",
    "Sultani": "سلطانی",
    "Haidari": "حیدری",
    "Amiri": "امیری",
    "Azizi": "عزیزی",
    "Noori": "نوری",
    "Hashimi": "هاشمی",
    "Safi": "صافی",
    "Mohammadi": "محمدی",
    "Sharifi": "شریفی",
    "Jalali": "جلالی",
    "Ahmadzai": "احمدزی",
    "Popal": "پوپل",
    "Wardak": "وردک",
}

M, F, FAM = "M", "F", "family"
COUNTRIES: dict[str, dict[str, list[str]]] = {
    "AFG": {
        M: [
            "Mohammed",
            "Ahmad",
            "Gul",
            "Hamid",
            "Karim",
            "Rahim",
            "Najib",
            "Farid",
            "Sayed",
            "Wahid",
            "Habib",
            "Noor",
            "Ali",
            "Hussein",
            "Abdullah",
            "Khalid",
            "Omar",
            "Yousef",
        ],
        F: [
            "Fatima",
            "Zainab",
            "Maryam",
            "Shabnam",
            "Nadia",
            "Farzana",
            "Parwana",
            "Zahra",
            "Soraya",
            "Khadija",
            "Aisha",
            "Halima",
        ],
        FAM: [
            "Ahmadzai",
            "Karimi",
            "Hakimi",
            "Nazari",
            "Rahimi",
            "Popal",
            "Sultani",
            "Haidari",
            "Amiri",
            "Azizi",
            "Noori",
            "Hashimi",
            "Safi",
            "Wardak",
            "Mohammadi",
            "Sharifi",
            "Jalali",
            "Stanekzai",
            "Rasuli",
            "Qaderi",
        ],
    },
    "IRQ": {
        M: [
            "Mohammed",
            "Ahmed",
            "Ali",
            "Hussein",
            "Hassan",
            "Omar",
            "Khalid",
            "Mustafa",
            "Youssef",
            "Ibrahim",
            "Abdullah",
            "Mahmoud",
            "Ammar",
            "Haidar",
            "Abbas",
            "Firas",
        ],
        F: [
            "Fatima",
            "Aisha",
            "Zainab",
            "Maryam",
            "Noor",
            "Huda",
            "Rania",
            "Sara",
            "Amal",
            "Hiba",
            "Samira",
            "Layla",
        ],
        FAM: [
            "Al-Jubouri",
            "Al-Tamimi",
            "Al-Obaidi",
            "Al-Rawi",
            "Shammari",
            "Hamdan",
            "Saleh",
            "Jaber",
            "Al-Hassan",
            "Aziz",
            "Kurdi",
            "Darwish",
            "Mansour",
            "Najjar",
        ],
    },
    "SYR": {
        M: [
            "Mohammed",
            "Ahmed",
            "Ali",
            "Hassan",
            "Omar",
            "Khalid",
            "Mustafa",
            "Youssef",
            "Ibrahim",
            "Mahmoud",
            "Bilal",
            "Tariq",
            "Walid",
            "Samir",
            "Firas",
            "Ammar",
        ],
        F: [
            "Fatima",
            "Aisha",
            "Maryam",
            "Noor",
            "Layla",
            "Huda",
            "Rania",
            "Sara",
            "Amal",
            "Hiba",
            "Samira",
            "Zainab",
        ],
        FAM: [
            "Haddad",
            "Khoury",
            "Mansour",
            "Hamdan",
            "Saleh",
            "Jaber",
            "Barakat",
            "Al-Masri",
            "Najjar",
            "Darwish",
            "Halabi",
            "Kurdi",
            "Al-Hassan",
            "Aziz",
        ],
    },
    "SDN": {
        M: [
            "Mohammed",
            "Ahmed",
            "Osman",
            "Abdullah",
            "Ibrahim",
            "Mustafa",
            "Hassan",
            "Babiker",
            "Omar",
            "Adam",
            "Ishag",
            "Youssef",
            "Hamid",
            "Siddig",
            "Ali",
            "Yagoub",
        ],
        F: [
            "Fatima",
            "Amna",
            "Hawa",
            "Khadija",
            "Maryam",
            "Safia",
            "Halima",
            "Zainab",
            "Aisha",
            "Nafisa",
        ],
        FAM: [
            "Abdelrahman",
            "Osman",
            "Babiker",
            "Elamin",
            "Adam",
            "Ali",
            "Ibrahim",
            "Yagoub",
            "Hassan",
            "Mohammed",
            "Ahmed",
            "Hamid",
            "Siddig",
            "Ishag",
        ],
    },
    "SSD": {
        M: [
            "John",
            "Peter",
            "James",
            "Deng",
            "Garang",
            "Bol",
            "Majok",
            "Akol",
            "Mabior",
            "Kuol",
            "Machar",
            "Lual",
            "Manyang",
            "Ater",
            "Chol",
            "David",
            "Samuel",
            "Daniel",
        ],
        F: [
            "Mary",
            "Rebecca",
            "Nyandeng",
            "Achol",
            "Abuk",
            "Ayen",
            "Nyibol",
            "Adut",
            "Angelina",
            "Sarah",
            "Elizabeth",
            "Martha",
        ],
        FAM: [
            "Deng",
            "Garang",
            "Akol",
            "Kuol",
            "Majok",
            "Mabior",
            "Lual",
            "Chol",
            "Ajak",
            "Makuei",
            "Anyieth",
            "Dut",
            "Malual",
            "Nyuon",
            "Wani",
            "Lado",
            "Ladu",
            "Taban",
        ],
    },
    "COD": {
        M: [
            "Jean",
            "Pierre",
            "Joseph",
            "Patrick",
            "Emmanuel",
            "Jean-Claude",
            "Christian",
            "Didier",
            "Fiston",
            "Benjamin",
            "Moise",
            "Olivier",
            "Papy",
            "Trésor",
            "Glody",
            "Eric",
        ],
        F: [
            "Marie",
            "Grace",
            "Esther",
            "Sarah",
            "Chantal",
            "Jeanne",
            "Rachel",
            "Ruth",
            "Deborah",
            "Nathalie",
            "Joséphine",
            "Mireille",
        ],
        FAM: [
            "Kabila",
            "Tshisekedi",
            "Mbuyi",
            "Kalala",
            "Ilunga",
            "Mutombo",
            "Lukusa",
            "Kasongo",
            "Mukendi",
            "Ngoy",
            "Kabongo",
            "Tshibangu",
            "Kalonji",
            "Mwamba",
            "Banza",
            "Nzuzi",
            "Mulumba",
            "Kanku",
            "Kazadi",
            "Bahati",
            "Amisi",
            "Mapendo",
            "Byamungu",
        ],
    },
}
WEIGHTS = {"AFG": 3, "SYR": 3, "IRQ": 2, "SDN": 2, "SSD": 2, "COD": 3}
PLACES = {
    "AFG": ["Kabul", "Herat", "Kandahar", "Mazar-i-Sharif", "Jalalabad", "Kunduz", "Ghazni"],
    "IRQ": ["Baghdad", "Mosul", "Basra", "Erbil", "Kirkuk", "Fallujah", "Najaf"],
    "SYR": ["Aleppo", "Damascus", "Homs", "Idlib", "Deir ez-Zor", "Raqqa", "Daraa", "Hama"],
    "SDN": ["Khartoum", "El Fasher", "Nyala", "El Geneina", "Kassala", "Omdurman"],
    "SSD": ["Juba", "Malakal", "Bor", "Wau", "Yei", "Bentiu", "Rumbek"],
    "COD": ["Goma", "Bukavu", "Kinshasa", "Bunia", "Uvira", "Beni", "Lubumbashi", "Kalemie"],
}
_VARIANTS: dict[str, list[str]] = {}
for _line in VARIANT_GROUPS:
    _words = [w for w in _line.split() if w.isascii() and "-" not in w and "'" not in w]
    for _w in _words:
        _VARIANTS[_w] = [x.capitalize() for x in _words if x != _w]
_TAILS = ("ullah", "uddin", "ullah", "zada", "khan", "jan", "shah", "i", "o", "a")


def typo(rng: random.Random, s: str) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    if op < 0.35:
        return s[:i] + s[i + 1 :]
    if op < 0.6:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if op < 0.8:
        return s[:i] + s[i] + s[i:]
    return s[:i] + rng.choice("aeiouy") + s[i + 1 :]


class Generator:
    """Deterministic person generator; ``person(i)`` and ``duplicate(rec)``."""

    def __init__(self, seed: int = 42, reference_year: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.ref = reference_year
        self.countries = [c for c, w in WEIGHTS.items() for _ in range(w)]

    def _name(self, pool: list[str]) -> str:
        rng = self.rng
        name = rng.choice(pool)
        r = rng.random()
        if r < 0.25 and name in AR:
            # extend the space of names as in real populations (compound Afghan names,
            # rarer names): a suffix or a second given name
            name = name + rng.choice(_TAILS) if rng.random() < 0.5 else name
        return name

    def person(self, i: int) -> PersonRecord:
        rng = self.rng
        c = rng.choice(self.countries)
        pool = COUNTRIES[c]
        sex = rng.choice((M, F))
        given = self._name(pool[sex])
        if rng.random() < 0.3:
            given = f"{given} {self._name(pool[sex])}"
        family = rng.choice(pool[FAM])
        father = self._name(pool[M])
        year = rng.randint(self.ref - 80, self.ref - 1)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        r = rng.random()
        dob = f"{year}-{month:02d}-{day:02d}"
        age = None
        if r < 0.15:
            dob = f"{year}-01-01"
        elif r < 0.25:
            dob = str(year)
        elif r < 0.3:
            dob, age = "", self.ref - year
        doc = f"{c[0]}{rng.randrange(10**7, 10**8)}" if rng.random() < 0.6 else ""
        prefix = rng.choice(["93", "964", "963", "249", "211", "243"])
        phone = f"+{prefix}7{rng.randrange(10**8):08d}" if rng.random() < 0.5 else ""
        return PersonRecord(
            id=f"R{i:07d}",
            given_name=given,
            family_name=family,
            father_name=father,
            sex=sex,
            date_of_birth=dob,
            age_estimate=age,
            nationality=c,
            document_number=doc,
            phone=phone,
            place_of_origin=rng.choice(PLACES[c]),
        )

    def _vary(self, name: str) -> str:
        rng = self.rng
        parts = name.split()
        out = []
        for p in parts:
            r = rng.random()
            if r < 0.3 and p in AR:
                out.append(AR[p])
            elif r < 0.55 and p in _VARIANTS:
                out.append(rng.choice(_VARIANTS[p]))
            elif r < 0.8:
                out.append(typo(rng, p))
            else:
                out.append(p)
        return " ".join(out)

    def duplicate(self, rec: PersonRecord, qid: str) -> PersonRecord:
        """A corrupted re-registration of the same person."""
        rng = self.rng
        given, family, father = rec.given_name, rec.family_name, rec.father_name
        if rng.random() < 0.8:
            given = self._vary(given)
        if rng.random() < 0.5:
            family = self._vary(family)
        if rng.random() < 0.4:
            father = self._vary(father) if rng.random() < 0.7 else ""
        if rng.random() < 0.1:
            given, family = family, given
        elif rng.random() < 0.05:
            family = father
        dob, age = rec.date_of_birth, rec.age_estimate
        r = rng.random()
        if dob and len(dob) == 10:
            y, m, d = dob.split("-")
            if r < 0.15:
                dob = y
            elif r < 0.25 and int(d) <= 12:
                dob = f"{y}-{d}-{m}"
            elif r < 0.35:
                dob = f"{y}-01-01"
            elif r < 0.45:
                dob, age = "", max(0, self.ref - int(y) + rng.randint(-2, 2))
        doc = rec.document_number if rng.random() < 0.5 else ""
        if doc and rng.random() < 0.2:
            doc = doc[:-1] + str(rng.randrange(10))
        phone = rec.phone if rng.random() < 0.5 else ""
        return replace(
            rec,
            id=qid,
            given_name=given,
            family_name=family,
            father_name=father,
            date_of_birth=dob,
            age_estimate=age,
            document_number=doc,
            phone=phone,
            place_of_origin=rec.place_of_origin if rng.random() < 0.7 else "",
        )

    def records(self, n: int) -> Iterator[PersonRecord]:
        for i in range(n):
            yield self.person(i)
