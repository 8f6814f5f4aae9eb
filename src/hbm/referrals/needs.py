"""Which service a specific need usually calls for, so that the referral form starts from the
person's recorded needs. Data, not code: ``data/need_services.csv`` maps a need code
(``SM-MI``) or a whole category (``SM``) to a service type code; a code's own line wins over
its category's. Needs with no line propose no service; the officer chooses. A line
``desk:child_without_related_adult`` says what a child flagged at the registration desk calls
for before any screening records a need."""

import csv
from functools import cache
from pathlib import Path

NEED_SERVICES = Path(__file__).parent / "data" / "need_services.csv"


@cache
def need_services() -> dict[str, str]:
    with NEED_SERVICES.open(encoding="utf-8", newline="") as lines:
        return {row["need"].strip(): row["service_type"].strip() for row in csv.DictReader(lines)}


def service_code_for(need_code: str) -> str | None:
    """The service type code for a need code, from its own line or its category's."""
    mapping = need_services()
    return mapping.get(need_code) or mapping.get(need_code.split("-")[0])


def first_served_need(need_codes: list[str]) -> tuple[str, str] | None:
    """The first of the needs (in the order given) that calls for a service, with it."""
    for code in need_codes:
        service = service_code_for(code)
        if service:
            return code, service
    return None


DESK_CHILD_ALONE = "desk:child_without_related_adult"
