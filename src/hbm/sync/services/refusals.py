"""National: how a station's change is refused for what it is (422 with the problems by
path, or 403 for a scope not the station's), and the person a change names, in the
station account's scope (ADR 0134, ADR 0137)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from pydantic import ValidationError as SchemaError

from hbm.accounts.models import User
from hbm.registry.models import Person
from hbm.registry.selectors import visible_persons

UNKNOWN_PERSON = "No person with this id at your crossing points."
NOT_YOUR_PERSON = "This person was not registered at a crossing point of this station."


class Refused(Exception):
    """A change that cannot be applied: 422 with the problems by path, or 403."""

    def __init__(self, problems: dict[str, list[str]], *, forbidden: bool = False) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items()))
        self.problems, self.forbidden = problems, forbidden


def schema_problems(exc: SchemaError) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"])
        problems.setdefault(path, []).append(error["msg"])
    return problems


def rule_problems(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"": list(exc.messages)}
    return {
        ("" if name == "__all__" else name): list(messages)
        for name, messages in exc.message_dict.items()
    }


def station_person(actor: User, public_id: UUID) -> Person:
    """The person a change names, if the station account may see them: 403 for a person of
    another point, 422 for an id unknown here (a registration refused or not yet received)."""
    person = visible_persons(user=actor).filter(public_id=public_id).first()
    if person is not None:
        return person
    if Person.objects.filter(public_id=public_id).exists():
        raise Refused({"person": [NOT_YOUR_PERSON]}, forbidden=True)
    raise Refused({"person": [UNKNOWN_PERSON]})
