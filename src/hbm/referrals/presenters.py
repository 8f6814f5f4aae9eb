"""A referral as its page shows it, in plain words: the person's name (linked when the viewer
may open the person), what was shared under field labels with readable values, the history
in status labels, and the actions that apply to this viewer now."""

from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import User
from hbm.places.models import Country
from hbm.referrals import services
from hbm.referrals.models import Referral, ReferralEvent
from hbm.registry.models import Person, Sex, full_name
from hbm.registry.selectors import persons_openable
from hbm.screening.models import Urgency

OTHER_LABELS = {
    "need_code": _("Specific need"),
    "urgency": _("Urgency"),
    "notes": _("Notes for the provider"),
}
S = Referral.Status
ACTED_THERE = _("{name}, at {server}")
ACTED_THERE_AGENCY = _("{name} ({agency}), at {server}")


def shared_label(name: str) -> str:
    if name in OTHER_LABELS:
        return str(OTHER_LABELS[name])
    return str(cast("Field[Any, Any]", Person._meta.get_field(name)).verbose_name).capitalize()


def _shared_value(referral: Referral, name: str, value: Any) -> str:
    if name == "sex":
        return str(Sex(value).label) if value in Sex.values else str(value)
    if name == "urgency":
        return str(Urgency(value).label) if value in Urgency.values else str(value)
    if name == "nationality":
        country = Country.objects.filter(code=value).first()
        return country.local_name if country else str(value)
    if name == "need_code" and referral.need_code is not None:
        return f"{referral.need_code.code} {referral.need_code.display_label}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def shared_rows(referral: Referral) -> list[tuple[str, str]]:
    """What the provider sees, field label and value, the fields left empty left out."""
    return [
        (shared_label(name), _shared_value(referral, name, value))
        for name, value in referral.shared.items()
        if value not in ("", None, [])
    ]


def _may_open(user: User, person: Person) -> bool:
    try:
        return person.pk in persons_openable(user=user, persons=[person])
    except PermissionDenied:
        return False


def person_shown(user: User, referral: Referral) -> dict[str, Any] | None:
    """Who the referral is for, as far as the viewer may know: the full name with a link for
    whoever may open the person; for the provider, the name parts that were shared; for
    metadata-only readers, nothing."""
    if not referral.personal_data:
        return None
    return _shown(referral, may_open=_may_open(user, referral.person))


def people_shown(user: User, referrals: Iterable[Referral]) -> list[tuple[Referral, Any]]:
    """Each referral of a list with its person as ``person_shown`` says, the persons the
    viewer may open looked up once for the whole list."""
    referrals = list(referrals)
    with_data = [r.person for r in referrals if r.personal_data]
    try:
        openable = persons_openable(user=user, persons=with_data) if with_data else set()
    except PermissionDenied:
        openable = set()
    return [
        (r, _shown(r, may_open=r.person_id in openable) if r.personal_data else None)
        for r in referrals
    ]


def _shown(referral: Referral, *, may_open: bool) -> dict[str, Any]:
    if may_open:
        return {"name": referral.person.full_name, "public_id": referral.person.public_id}
    shared = referral.shared
    name = full_name(
        shared.get("given_name", ""), shared.get("father_name", ""), shared.get("family_name", "")
    )
    return {"name": name, "public_id": None}


def status_label(status: str) -> str:
    return str(S(status).label) if status in S.values else status


def actor_shown(event: ReferralEvent) -> str:
    """Who moved the referral: the user, or, when the user is another server's account (a
    field station's, the national server's), who did it there and their agency (ADR 0140)."""
    if not event.actor_name:
        return event.actor.get_full_name() or event.actor.get_username()
    server = event.actor.get_username()  # the station's account, or national-server
    if event.actor_agency:
        return ACTED_THERE_AGENCY.format(
            name=event.actor_name, agency=event.actor_agency, server=server
        )
    return ACTED_THERE.format(name=event.actor_name, server=server)


def history(referral: Referral) -> list[dict[str, Any]]:
    return [
        {
            "at": event.at,
            "actor": actor_shown(event),
            "from": status_label(event.from_status) if event.from_status else "",
            "to": status_label(event.to_status),
            "reason": event.reason if referral.personal_data else "",
        }
        for event in referral.events.select_related("actor")
    ]


def actions(user: User, referral: Referral) -> dict[str, Any]:
    """The buttons that apply now, and whether a reason or an outcome can be asked."""
    allowed = services.transitions_for(user, referral)
    return {
        "allowed": allowed,
        "reason": any(s in services.NEEDS_REASON for s in allowed),
        "outcome": S.COMPLETED in allowed,
    }
