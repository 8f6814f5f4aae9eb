"""The guided screening: which questions apply to whom, and which codes a "yes" proposes.

Questions are asked only where they apply (a child alone leads to the unaccompanied and
separated questions; pregnancy only to women and girls of child-bearing age), and an answer to
a question that does not apply to the person is refused."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hbm.lib.types import StrOrPromise


@dataclass(frozen=True)
class Subject:
    age: int | None
    sex: str
    travelling_without_related_adult: bool

    @property
    def child(self) -> bool:
        return self.age is not None and self.age < 18


@dataclass(frozen=True)
class Question:
    key: str
    text: StrOrPromise
    applies: Callable[[Subject], bool]
    proposes: tuple[str, ...]
    urgency: str = "normal"


def _always(subject: Subject) -> bool:
    return True


QUESTIONS = (
    Question(
        "child_without_caregiver",
        _(
            "Is the child travelling without both parents and "
            "without any other adult who by law or custom cares for them?"
        ),
        lambda s: s.child,
        ("SC-UC",),
        "urgent",
    ),
    Question(
        "child_with_other_relative",
        _("Is the child with a relative or other adult who is not their usual caregiver?"),
        lambda s: s.child,
        ("SC-SC",),
        "urgent",
    ),
    Question(
        "child_heads_household",
        _("Is the child heading a household or caring for others?"),
        lambda s: s.child,
        ("SC-CH",),
    ),
    Question(
        "child_associated_armed",
        _("Was the child associated with an armed force or group?"),
        lambda s: s.child and (s.age or 0) >= 7,
        ("CR-AF",),
        "urgent",
    ),
    Question(
        "pregnant",
        _("Is she pregnant?"),
        lambda s: s.sex == "F" and s.age is not None and 10 <= s.age <= 55,
        ("SM-DP",),
    ),
    Question(
        "lactating",
        _("Is she breastfeeding?"),
        lambda s: s.sex == "F" and s.age is not None and 12 <= s.age <= 55,
        ("WR-LC",),
    ),
    Question(
        "older_alone",
        _("Is the older person alone, or unable to care for themselves?"),
        lambda s: s.age is not None and s.age >= 60,
        ("ER-NF",),
    ),
    Question(
        "single_parent",
        _("Is this person caring for children alone?"),
        lambda s: s.age is not None and s.age >= 15,
        ("SP-PT",),
    ),
    Question(
        "disability",
        _(
            "Does the person have a lot of difficulty seeing, hearing, walking, "
            "remembering, self-care or communicating?"
        ),
        _always,
        ("DS-PM",),
    ),
    Question(
        "serious_medical",
        _("Does the person have a serious or life-threatening medical condition?"),
        _always,
        ("SM-CC",),
        "emergency",
    ),
    Question(
        "violence_survivor",
        _("Has the person survived violence, abuse or exploitation, or do they fear it now?"),
        _always,
        ("LP-AN",),
        "urgent",
    ),
    Question(
        "no_documents", _("Is the person without any identity document?"), _always, ("LP-ND",)
    ),
    Question(
        "family_separated",
        _("Has the person been separated from close family members they want to find?"),
        _always,
        ("FU-TR",),
    ),
)
BY_KEY = {q.key: q for q in QUESTIONS}
URGENCY_ORDER = {"normal": 0, "urgent": 1, "emergency": 2}


def applicable(subject: Subject) -> list[Question]:
    questions = [q for q in QUESTIONS if q.applies(subject)]
    if subject.child and subject.travelling_without_related_adult:
        first = [q for q in questions if q.key.startswith("child_without")]
        questions = first + [q for q in questions if q not in first]
    return questions


def proposal(answers: dict[str, bool]) -> tuple[list[str], str]:
    """Codes proposed by the "yes" answers, and the most urgent urgency among them."""
    codes: list[str] = []
    urgency = "normal"
    for key, yes in answers.items():
        question = BY_KEY[key]
        if yes:
            codes.extend(c for c in question.proposes if c not in codes)
            if URGENCY_ORDER[question.urgency] > URGENCY_ORDER[urgency]:
                urgency = question.urgency
    return codes, urgency
