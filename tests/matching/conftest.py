"""Shared fixtures for the matching tests: a small synthetic population with duplicates."""

from __future__ import annotations

import random

import pytest

from hbm.matching import PersonRecord

GIVEN_M = [
    "Mohammed",
    "Ahmed",
    "Ali",
    "Hassan",
    "Omar",
    "Yusuf",
    "Khalid",
    "Ibrahim",
    "Karim",
    "Jean",
    "Pierre",
    "Deng",
    "Bol",
    "Samir",
    "Tariq",
    "Walid",
    "Idris",
    "Musa",
]
GIVEN_F = ["Fatima", "Aisha", "Zainab", "Maryam", "Amina", "Halima", "Layla", "Nour", "Sakina"]
FAMILY = [
    "Hakimi",
    "Karimi",
    "Rahimi",
    "Ahmadzai",
    "Nazari",
    "Haddad",
    "Khoury",
    "Mansour",
    "Kabila",
    "Mbuyi",
    "Deng",
    "Garang",
    "Osman",
    "Abdalla",
    "Jaber",
    "Saleh",
    "Barakat",
    "Yousef",
    "Hamdan",
    "Qasim",
    "Tshisekedi",
    "Lukusa",
    "Ilunga",
    "Mutombo",
    "Kuol",
]


def corrupt(rng: random.Random, s: str) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    if op < 0.4:
        return s[:i] + s[i + 1 :]
    if op < 0.7:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    return s[:i] + rng.choice("aeiou") + s[i + 1 :]


def population(
    n: int, dup_rate: float, seed: int = 7
) -> tuple[list[PersonRecord], set[tuple[str, str]]]:
    rng = random.Random(seed)
    recs: list[PersonRecord] = []
    truth: set[tuple[str, str]] = set()
    for i in range(n):
        sex = rng.choice("FM")
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        y, m, d = rng.randint(1950, 2015), rng.randint(1, 12), rng.randint(1, 28)
        rec = PersonRecord(
            id=f"p{i:05d}",
            given_name=given,
            family_name=rng.choice(FAMILY),
            father_name=rng.choice(GIVEN_M),
            sex=sex,
            date_of_birth=f"{y}-{m:02d}-{d:02d}",
            nationality=rng.choice(["AFG", "SYR", "IRQ", "SDN", "SSD", "COD"]),
            document_number=f"{rng.randrange(10**8):08d}" if rng.random() < 0.5 else "",
            place_of_origin=rng.choice(["Kabul", "Aleppo", "Mosul", "Juba", "Goma", "Herat"]),
        )
        recs.append(rec)
        if rng.random() < dup_rate:
            dob = rec.date_of_birth
            r = rng.random()
            if r < 0.2:
                dob = dob[:4]
            elif r < 0.3:
                dob = f"{y}-{d:02d}-{m:02d}" if d <= 12 else dob
            dup = PersonRecord(
                id=f"d{i:05d}",
                given_name=corrupt(rng, rec.given_name) if rng.random() < 0.5 else given,
                family_name=(
                    rec.family_name if rng.random() < 0.7 else corrupt(rng, rec.family_name)
                ),
                father_name=rec.father_name if rng.random() < 0.6 else "",
                sex=sex,
                date_of_birth=dob,
                nationality=rec.nationality,
                document_number=rec.document_number if rng.random() < 0.5 else "",
                place_of_origin=rec.place_of_origin,
            )
            recs.append(dup)
            truth.add(tuple(sorted((rec.id, dup.id))))  # type: ignore[arg-type]
    return recs, truth


@pytest.fixture(scope="session")
def synthetic() -> tuple[list[PersonRecord], set[tuple[str, str]]]:
    return population(1500, 0.3)
