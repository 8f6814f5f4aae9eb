"""Random families for the load test, from the demo's name lists."""

import random

from hbm.demo.people import NAMES


def random_name(rng: random.Random) -> str:
    origin = rng.choice(list(NAMES))
    return (
        f"{rng.choice(NAMES[origin]['male'] + NAMES[origin]['female'])} "
        f"{rng.choice(NAMES[origin]['family'])}"
    )


def random_family(rng: random.Random) -> list[dict]:
    origin = rng.choice(list(NAMES))
    names = NAMES[origin]
    family = rng.choice(names["family"])
    members = [
        {
            "relationship": "head",
            "given_name": rng.choice(names["male"]),
            "family_name": family,
            "sex": "M",
            "nationality": origin,
            "date_of_birth": str(rng.randint(1960, 2000)),
        }
    ]
    for _ in range(rng.randint(0, 4)):
        members.append(
            {
                "relationship": "child",
                "given_name": rng.choice(names["female"]),
                "family_name": family,
                "sex": "F",
                "nationality": origin,
                "age_estimate": rng.randint(0, 17),
            }
        )
    return members
