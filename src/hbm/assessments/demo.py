"""Demo assessments (ILLUSTRATIVE, invented scores): Mahagi – Goli assessed twice a year
apart, better the second time in preparedness, coordination and operations, and Aba once.
All approved, with recommendations tracked as actions. Written through the services, so they
are checked and audited like real ones. Idempotent: an assessment already there is skipped."""

import datetime
from typing import Any

from django.db import transaction

from hbm.accounts.models import Agency, User
from hbm.places.models import BorderCrossingPoint

from . import selectors, services
from .models import Assessment, Template

# crossing point, date, base level per dimension, N/A indicators with reasons, summary
ASSESSMENTS: list[dict[str, Any]] = [
    {
        "point": "mahagi-goli",
        "date": datetime.date(2025, 10, 14),
        "levels": {
            "CTX": 2,
            "LEG": 2,
            "PREP": 1,
            "COORD": 1,
            "ADM": 1,
            "OPS": 1,
            "INF": 2,
            "HLT": 2,
        },
        "na": {"HLT-10": "No cargo conveyances cross here: foot, bicycle and motorcycle traffic."},
        "summary": "Busy crossing with committed staff but no written contingency plan; "
        "coordination depends on personal contacts.",
        "team_notes": "Jean Ukumu (DGM Mahagi); Dr Rose Anyolitho (PNHF)",
        "recommendations": [
            (
                "PREP-1",
                "Draft an inter-agency contingency plan for a mass arrival.",
                "dgm",
                120,
                "done",
            ),
            (
                "COORD-2",
                "Agree a matrix of roles between DGM, PNC, DGDA and PNHF.",
                "iom",
                90,
                "done",
            ),
            ("ADM-1", "Add a surge roster for registration staff.", "dgm", 180, "in_progress"),
        ],
    },
    {
        "point": "mahagi-goli",
        "date": datetime.date(2026, 10, 20),
        "levels": {
            "CTX": 3,
            "LEG": 2,
            "PREP": 3,
            "COORD": 3,
            "ADM": 2,
            "OPS": 2,
            "INF": 2,
            "HLT": 2,
        },
        "na": {"HLT-10": "No cargo conveyances cross here: foot, bicycle and motorcycle traffic."},
        "summary": "Contingency plan adopted and exercised in June; roles agreed. Health "
        "capacities and equipment are the main gaps.",
        "team_notes": "Jean Ukumu (DGM Mahagi)",
        "recommendations": [
            ("HLT-8", "Set up a separate interview space for suspect cases.", "pnhf", 90, "open"),
            (
                "INF-1",
                "Replace the registration laptops and add a solar power kit.",
                "iom",
                150,
                "open",
            ),
            (
                "TRN-1",
                "Train the new shift on referral of unaccompanied children.",
                "unhcr",
                60,
                "in_progress",
            ),
        ],
    },
    {
        "point": "aba",
        "date": datetime.date(2026, 9, 8),
        "levels": {
            "CTX": 1,
            "LEG": 1,
            "PREP": 0,
            "COORD": 1,
            "ADM": 0,
            "OPS": 1,
            "INF": 1,
            "HLT": 1,
        },
        "na": {
            "HLT-3": "No conveyances are inspected at Aba: the road is closed to vehicles.",
            "HLT-10": "No cargo or conveyances cross: the road is closed to vehicles.",
        },
        "summary": "Remote, restricted crossing with two officers on duty and no "
        "communications equipment; no plan for an influx from South Sudan.",
        "team_notes": "Commander Daniel Aluma (FARDC liaison)",
        "recommendations": [
            (
                "PREP-1",
                "Prepare a contingency plan for an influx from South Sudan.",
                "dgm",
                120,
                "open",
            ),
            ("INF-1", "Provide a radio and a satellite phone at the post.", "iom", 60, "open"),
            (
                "COORD-3",
                "Set up monthly contact with the South Sudan counterpart post.",
                "dgm",
                90,
                "open",
            ),
        ],
    },
]


def _level(base: int, index: int) -> int:
    """Invented but stable: vary around the dimension's base level by the indicator's place."""
    return max(0, min(4, base + (0, 1, -1, 0, 1)[index % 5]))


@transaction.atomic
def demo_load_assessments() -> dict[str, int]:
    """Create the demo assessments that are not there yet; returns how many were created."""
    created = {"assessments": 0, "recommendations": 0}
    template = selectors.default_template()
    assessor = User.objects.filter(username="assessor").first()
    approver = User.objects.filter(username="coordinator").first()
    if template is None or assessor is None or approver is None:
        return created
    agencies = {a.code: a for a in Agency.objects.all()}
    dimensions = selectors.template_dimensions(template)
    for spec in ASSESSMENTS:
        point = BorderCrossingPoint.objects.filter(code=spec["point"]).first()
        if point is None or _exists(point, spec["date"], template):
            continue
        assessment = services.assessment_create(
            actor=assessor,
            crossing_point=point,
            template=template,
            assessed_on=spec["date"],
            team=[approver],
            team_notes=spec["team_notes"],
        )
        for dimension in dimensions:
            for index, indicator in enumerate(dimension.indicators.all()):
                reason = spec["na"].get(indicator.code, "")
                services.score_set(
                    actor=assessor,
                    assessment=assessment,
                    indicator=indicator,
                    level=None if reason else _level(spec["levels"][dimension.code], index),
                    not_applicable=bool(reason),
                    na_reason=reason,
                    evidence="Seen on site; interviews with the officers on duty."
                    if index == 0
                    else "",
                )
        services.assessment_update(
            actor=assessor,
            assessment=assessment,
            assessed_on=spec["date"],
            team=[assessor, approver],
            team_notes=spec["team_notes"],
            summary=spec["summary"],
        )
        services.assessment_submit(actor=assessor, assessment=assessment)
        services.assessment_approve(actor=approver, assessment=assessment)
        codes = {i.code: i for d in dimensions for i in d.indicators.all()}
        for code, text, agency, days, status in spec["recommendations"]:
            recommendation = services.recommendation_create(
                actor=assessor,
                assessment=assessment,
                text=text,
                agency=agencies.get(agency),
                due_on=spec["date"] + datetime.timedelta(days=days),
                indicator=codes[code],
            )
            if status != "open":
                services.recommendation_set_status(
                    actor=assessor, recommendation=recommendation, status=status
                )
            created["recommendations"] += 1
        created["assessments"] += 1
    return created


def _exists(point: BorderCrossingPoint, assessed_on: datetime.date, template: Template) -> bool:
    return Assessment.objects.filter(
        crossing_point=point, assessed_on=assessed_on, template__code=template.code
    ).exists()
