"""A tally sheet as the form, the API and imports hand it to the service."""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class CountLineInput:
    direction: str
    people: int
    female_0_4: int = 0
    female_5_17: int = 0
    female_18_59: int = 0
    female_60_plus: int = 0
    male_0_4: int = 0
    male_5_17: int = 0
    male_18_59: int = 0
    male_60_plus: int = 0
    nationality: str = ""
    origin_country: str = ""
    origin_place: str = ""
    destination_country: str = ""
    destination_place: str = ""
    transport: str = ""
    reason: str = ""
    children_alone: int = 0
    disability: int = 0
    pregnant_or_lactating: int = 0
    serious_medical: int = 0
    older_at_risk: int = 0


@dataclass(frozen=True)
class FlowCountInput:
    id: UUID
    crossing_point: str
    window_start: datetime
    window_end: datetime
    total: int
    lines: tuple[CountLineInput, ...]
    estimated: bool = False
    notes: str = ""

    def content_hash(self) -> str:
        content = asdict(self)
        content.pop("id")
        encoded = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()
