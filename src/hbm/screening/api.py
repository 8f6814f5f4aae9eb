from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.audit.models import AuditEvent
from hbm.audit.paging import ShownPagination
from hbm.audit.services import audit_record
from hbm.places.selectors import crossing_point_get_for_user
from hbm.registry.models import Crossing
from hbm.registry.selectors import person_get_for_user
from hbm.screening import selectors, services, tracing
from hbm.screening.models import HealthScreening, NeedCode, ProtectionScreening
from hbm.screening.questions import applicable
from hbm.screening.services import health

router = Router(tags=["screening"])


class NeedCodeOut(Schema):
    code: str
    label: str = Field(description="in the request's language (Accept-Language), else English")
    labels: dict[str, str] = Field(description="every label by language code, English included")
    category: str
    category_label: str
    verified: bool
    source: str

    @staticmethod
    def resolve_label(code: NeedCode) -> str:
        return code.display_label

    @staticmethod
    def resolve_labels(code: NeedCode) -> dict[str, str]:
        return code.labels()

    @staticmethod
    def resolve_category(code: NeedCode) -> str:
        return code.category.code

    @staticmethod
    def resolve_category_label(code: NeedCode) -> str:
        return code.category.display_label


class QuestionOut(Schema):
    key: str
    text: str
    proposes: list[str]


class ScreeningIn(Schema):
    answers: dict[str, bool] = Field(description="question key → yes/no")
    codes: list[str] | None = Field(None, description="confirmed codes; default: those proposed")
    urgency: str | None = Field(None, description="emergency, urgent or normal")
    notes: str = ""


class ScreeningOut(Schema):
    id: int
    screened_at: datetime
    screened_by: str
    answers: dict[str, bool]
    proposed_codes: list[str]
    codes: list[str]
    urgency: str
    unaccompanied_or_separated: bool
    notes: str

    @staticmethod
    def resolve_screened_by(screening: ProtectionScreening) -> str:
        return screening.screened_by.get_username()

    @staticmethod
    def resolve_codes(screening: ProtectionScreening) -> list[str]:
        return sorted(c.code for c in screening.codes.all())


class HealthScreeningIn(Schema):
    crossing_point: str
    symptoms: dict[str, bool] = Field(default_factory=dict)
    temperature_celsius: float | None = None
    vaccination: str = "unknown"
    referred_for_care: bool = False
    notes: str = ""


class HealthScreeningOut(Schema):
    id: int
    screened_at: datetime
    crossing_point: str
    event: str | None
    symptoms: dict[str, bool]
    temperature_celsius: float | None
    vaccination: str
    has_symptoms: bool
    referred_for_care: bool
    notes: str

    @staticmethod
    def resolve_crossing_point(screening: HealthScreening) -> str:
        return screening.crossing_point.code

    @staticmethod
    def resolve_event(screening: HealthScreening) -> str | None:
        return screening.event.name if screening.event else None


class DailyHealthOut(Schema):
    day: date
    crossing_point: str
    screened: int
    with_symptoms: int
    referred: int


@router.post(
    "/persons/{person_id}/health-screenings",
    response={201: HealthScreeningOut},
    summary="Record a health screening at the point of entry",
)
def health_screening_create(
    request: AuthenticatedHttpRequest, person_id: UUID, payload: HealthScreeningIn
) -> Status[HealthScreening]:
    person = person_get_for_user(user=request.user, public_id=person_id)
    point = crossing_point_get_for_user(user=request.user, code=payload.crossing_point)
    screening = health.health_screening_record(
        actor=request.user,
        person=person,
        crossing_point=point,
        **payload.dict(exclude={"crossing_point"}),
    )
    return Status(201, screening)


@router.get(
    "/persons/{person_id}/health-screenings",
    response=list[HealthScreeningOut],
    summary="Health screenings (health officers only; audited)",
)
def health_screening_list(
    request: AuthenticatedHttpRequest, person_id: UUID
) -> list[HealthScreening]:
    person = person_get_for_user(user=request.user, public_id=person_id)
    screenings = list(health.health_screening_list(user=request.user, person=person))
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, fields=["health"]
    )
    return screenings


@router.get(
    "/health/daily",
    response=list[DailyHealthOut],
    summary="Daily health screening counts per crossing point (no personal data)",
)
def daily_health(
    request: AuthenticatedHttpRequest, since: date | None = None, until: date | None = None
) -> list[dict[str, object]]:
    return health.daily_health_counts(user=request.user, since=since, until=until)


class RelativeOut(Schema):
    person: UUID
    name: str
    date_of_birth: str
    first_crossing_point: str
    relation: str
    score: float
    reasons: list[str]


@router.get(
    "/persons/{person_id}/relatives",
    response=list[RelativeOut],
    summary="Family tracing: likely relatives registered anywhere (protection officers)",
)
def relative_list(request: AuthenticatedHttpRequest, person_id: UUID) -> list[dict[str, object]]:
    person = person_get_for_user(user=request.user, public_id=person_id)
    return [
        {
            "person": r["person"].public_id,
            "name": r["person"].full_name,
            "date_of_birth": r["person"].date_of_birth,
            "first_crossing_point": r["person"].first_crossing_point.code,
            "relation": r["relation"],
            "score": r["score"],
            "reasons": r["reasons"],
        }
        for r in tracing.relatives_of(user=request.user, person=person)
    ]


@router.get("/needs-codes", response=list[NeedCodeOut], summary="Specific-needs codes in use")
def need_code_list(request: AuthenticatedHttpRequest) -> list[NeedCode]:
    return list(selectors.need_codes())


@router.get(
    "/persons/{person_id}/screening-questions",
    response=list[QuestionOut],
    summary="The screening questions that apply to this person",
)
def question_list(request: AuthenticatedHttpRequest, person_id: UUID) -> list[dict[str, object]]:
    person = person_get_for_user(user=request.user, public_id=person_id)
    if not selectors.can_read_protection(request.user):
        raise PermissionDenied(selectors.COMPARTMENT)
    questions = applicable(services.subject_of(person))
    # Which questions apply tells the person's age band, sex and whether they travel alone.
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        target=person,
        fields=["screening_questions"],
        detail="screening questions (api)",
    )
    return [{"key": q.key, "text": str(q.text), "proposes": list(q.proposes)} for q in questions]


@router.get(
    "/persons/{person_id}/screenings",
    response=list[ScreeningOut],
    summary="Protection screenings (protection officers only; audited)",
)
def screening_list(request: AuthenticatedHttpRequest, person_id: UUID) -> list[ProtectionScreening]:
    person = person_get_for_user(user=request.user, public_id=person_id)
    screenings = list(selectors.screening_list(user=request.user, person=person))
    audit_record(
        actor=request.user, action=AuditEvent.Action.VIEW, target=person, fields=["screenings"]
    )
    return screenings


@router.post(
    "/persons/{person_id}/screenings",
    response={201: ScreeningOut},
    summary="Record a protection screening",
)
def screening_create(
    request: AuthenticatedHttpRequest, person_id: UUID, payload: ScreeningIn
) -> Status[ProtectionScreening]:
    person = person_get_for_user(user=request.user, public_id=person_id)
    screening = services.screening_record(
        actor=request.user,
        person=person,
        answers=payload.answers,
        codes=payload.codes,
        urgency=payload.urgency,
        notes=payload.notes,
    )
    return Status(201, screening)


class ToScreenOut(Schema):
    person: UUID
    name: str
    sex: str
    date_of_birth: str
    age_estimate: int | None
    crossing: UUID = Field(description="the crossing flagged at the registration desk")
    crossing_point: str
    crossed_at: datetime
    state: str = Field("to_screen", description="always to_screen: screened children leave")

    @staticmethod
    def resolve_person(crossing: Crossing) -> UUID:
        return crossing.person.public_id

    @staticmethod
    def resolve_name(crossing: Crossing) -> str:
        return crossing.person.full_name

    @staticmethod
    def resolve_sex(crossing: Crossing) -> str:
        return crossing.person.sex

    @staticmethod
    def resolve_date_of_birth(crossing: Crossing) -> str:
        return crossing.person.date_of_birth

    @staticmethod
    def resolve_age_estimate(crossing: Crossing) -> int | None:
        return crossing.person.age_estimate

    @staticmethod
    def resolve_crossing(crossing: Crossing) -> UUID:
        return crossing.public_id

    @staticmethod
    def resolve_crossing_point(crossing: Crossing) -> str:
        return crossing.crossing_point.code


@router.get(
    "/children/to-screen",
    response=list[ToScreenOut],
    summary="Children flagged at the desk without a related adult, not screened since "
    "(protection officers; the caller's crossing points; audited)",
)
@paginate(
    ShownPagination,
    ordering=("-crossed_at", "-id"),
    page_size=50,
    max_page_size=200,
    shown=lambda crossing: [crossing.person],
    object_type="registry.person",
    detail="children to screen list (api)",
)
def to_screen_list(request: AuthenticatedHttpRequest) -> QuerySet[Crossing]:
    return tracing.to_screen_list(user=request.user)
