from typing import Any
from uuid import UUID

from ninja import Router

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.retention import subject_access

router = Router(tags=["retention"])


@router.get(
    "/persons/{person_id}/subject-access",
    response=dict[str, Any],
    summary="Everything held about one person (subject access; audited as an export)",
    description=(
        "For protection officers (their crossing points), coordinators and administrators. "
        "A compartment the caller may not read is null, and `withheld` says why."
    ),
)
def person_subject_access(request: AuthenticatedHttpRequest, person_id: UUID) -> dict[str, Any]:
    person = subject_access.subject_access_person(
        user=request.user, public_id=str(person_id), channel="api"
    )
    return subject_access.subject_access_export(user=request.user, person=person, channel="api")
