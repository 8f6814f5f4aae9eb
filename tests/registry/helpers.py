import uuid

from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.services import registration_register

# Mohammed Hassan (born 1984-03-12, SSD) as another officer might spell him, with his birth
# year only: the registry must propose the two as a pair.
VARIANT = {
    "given_name": "Muhammad",
    "family_name": "Hasan",
    "father_name": "Ali",
    "sex": "M",
    "date_of_birth": "1984",
    "nationality": "SSD",
}
# Why the engine finds the two alike, as the desk and the duplicate queue say it
# (hbm.registry.explain): the strongest agreements; nothing speaks against.
WHY_VARIANT = "Given name and Family name spelling variant, Date of birth same year"


def register(actor, *members, point="point-a", direction="entry", kind="household", **registration):
    """Register one group through the real service; members are dicts of MemberInput fields,
    ``registration`` more RegistrationInput fields (``crossed_at``...)."""
    inputs = tuple(
        MemberInput(relationship="head" if i == 0 else m.pop("relationship", "child"), **m)
        for i, m in enumerate(dict(m) for m in members)
    )
    registration.setdefault("consent_given", True)
    data = RegistrationInput(
        id=uuid.uuid4(),
        crossing_point=point,
        direction=direction,
        members=inputs,
        group_kind=kind,
        **registration,
    )
    result = registration_register(actor=actor, data=data)
    return [m.person for m in result.registration.group.members.order_by("pk")]


def list_joseph_kony(security_officer):
    """A national watchlist with one entry: Joseph Kony, born 1961, Ugandan."""
    from hbm.security import services as security

    watchlist = security.watchlist_create(
        actor=security_officer, owner=security_officer.agency, name="National", legal_basis="Law"
    )
    security.watchlist_load(
        actor=security_officer,
        watchlist=watchlist,
        content=(
            b"external_id,given_name,family_name,date_of_birth,nationality,reason_category,"
            b"required_action\nW-2,Joseph,Kony,1961,UGA,wanted,hold\n"
        ),
        filename="national.csv",
    )
