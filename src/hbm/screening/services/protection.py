"""Protection screening: the answers to the screening questions and the specific-needs codes
they propose, recorded for a person."""

from datetime import datetime
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hbm.accounts.models import User
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.text import text_problems
from hbm.registry.birth import age_on
from hbm.registry.models import Crossing, Person
from hbm.registry.selectors import person_check_scope
from hbm.screening import hooks
from hbm.screening.models import NeedCode, NeedsTaxonomy, ProtectionScreening, Urgency
from hbm.screening.questions import BY_KEY, Subject, applicable, proposal

SCREENERS = ("protection_officer",)
# Messages are translated lazily, in the language of the request that meets them; the ones
# with placeholders become plain text when formatted (``str.format`` on a lazy string).
UNKNOWN_QUESTION = _("'{}' is not a screening question.")
DOES_NOT_APPLY = _("This question does not apply to this person (age {age}, sex {sex}).")
AGE_UNKNOWN = pgettext_lazy("age", "unknown")
SEX_NOT_STATED = pgettext_lazy("sex", "not stated")
UNKNOWN_CODE = _("'{}' is not a code of the current specific-needs taxonomy.")
NOT_A_CHOICE = _("'{}' is not one of: emergency, urgent, normal.")
NO_TAXONOMY = _("No specific-needs taxonomy is published; ask an administrator.")
UASC_CODES = {"SC-UC", "SC-SC"}


def subject_of(person: Person) -> Subject:
    if person.age_estimate is not None:
        years = (timezone.localdate() - person.created_at.date()).days // 365
        age: int | None = person.age_estimate + years
    else:
        age = age_on(timezone.localdate(), person.birth_earliest, person.birth_latest)
    alone = Crossing.objects.filter(person=person, child_without_related_adult=True).exists()
    return Subject(age=age, sex=person.sex, travelling_without_related_adult=alone)


def current_taxonomy() -> NeedsTaxonomy:
    taxonomy = NeedsTaxonomy.objects.filter(published=True).order_by("-created_at").first()
    if taxonomy is None:
        raise ValidationError({"codes": NO_TAXONOMY})
    return taxonomy


def _check_answers(subject: Subject, answers: dict[str, bool]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    allowed = {q.key for q in applicable(subject)}
    for key in answers:
        if key not in BY_KEY:
            problems.setdefault(f"answers.{key}", []).append(UNKNOWN_QUESTION.format(key))
        elif key not in allowed:
            problems.setdefault(f"answers.{key}", []).append(
                DOES_NOT_APPLY.format(
                    age=subject.age if subject.age is not None else AGE_UNKNOWN,
                    sex=subject.sex or SEX_NOT_STATED,
                )
            )
    return problems


@transaction.atomic
def screening_record(
    *,
    actor: User,
    person: Person,
    answers: dict[str, bool],
    codes: list[str] | None = None,
    urgency: str | None = None,
    notes: str = "",
) -> ProtectionScreening:
    """Record a screening. Without ``codes`` the codes proposed by the answers are taken; the
    officer may confirm others. A child found unaccompanied or separated is flagged."""
    require_role(actor, *SCREENERS)
    return screening_write(
        actor=actor, person=person, answers=answers, codes=codes, urgency=urgency, notes=notes
    )


def screening_write(
    *,
    actor: User,
    person: Person,
    answers: dict[str, bool],
    codes: list[str] | None = None,
    urgency: str | None = None,
    notes: str = "",
    public_id: UUID | None = None,
    screened_at: datetime | None = None,
) -> ProtectionScreening:
    """Validate and write a screening, audited, for a writer who may see the person. For
    services that checked the writer's role already (a field station's screening replicated
    with its id and time, ADR 0137)."""
    person_check_scope(user=actor, person=person)
    subject = subject_of(person)
    problems = _check_answers(subject, answers)
    taxonomy = current_taxonomy()
    proposed, proposed_urgency = proposal({k: v for k, v in answers.items() if k in BY_KEY})
    chosen = proposed if codes is None else list(dict.fromkeys(codes))
    known = {
        c.code: c for c in NeedCode.objects.filter(category__taxonomy=taxonomy, code__in=chosen)
    }
    for index, code in enumerate(chosen):
        if code not in known:
            problems.setdefault(f"codes.{index}", []).append(UNKNOWN_CODE.format(code))
    urgency = urgency or proposed_urgency
    if urgency not in Urgency.values:
        problems.setdefault("urgency", []).append(NOT_A_CHOICE.format(urgency))
    text_problems({"notes": notes}, multiline={"notes"}, into=problems)
    if problems:
        raise ValidationError(problems)
    screening = ProtectionScreening.objects.create(
        public_id=public_id or uuid4(),
        person=person,
        taxonomy=taxonomy,
        answers=answers,
        proposed_codes=proposed,
        urgency=urgency,
        notes=notes.strip(),
        screened_by=actor,
        unaccompanied_or_separated=subject.child and bool(UASC_CODES & set(chosen)),
    )
    screening.codes.set(known.values())
    if screened_at is not None:  # auto_now_add stamps the create; a replica keeps its time
        ProtectionScreening.objects.filter(pk=screening.pk).update(screened_at=screened_at)
        screening.screened_at = screened_at
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=screening,
        fields=["answers", "codes", "urgency", "notes"],
        detail=f"person {person.public_id}",
    )
    hooks.screening_recorded(screening)
    return screening
