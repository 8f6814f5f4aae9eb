"""Keys and records with encrypted fields, for the tests of encryption and of backups."""

from cryptography.fernet import Fernet

from hbm.security import services as security
from hbm.security.models import Hit
from tests.registry.helpers import register

OLD_KEY, NEW_KEY, OTHER_KEY = (Fernet.generate_key().decode() for _ in range(3))
EXPLANATION = {"fields": [{"field": "family_name", "weight": 4.2}], "why": "same family name"}
REASON = "Confirmed with the passport: the scar on the left hand matches."
NOTES = "Survivor of violence on the road; wants a female officer."
ANSWERS = {"violence_survivor": True, "serious_medical": False}


def registered_person(officer):
    (person,) = register(officer, {"given_name": "Lado", "family_name": "Wani", "sex": "F"})
    return person


def decided_hit(person, security_officer):
    """A hit on ``person`` with an explanation, confirmed with REASON."""
    watchlist = security.watchlist_create(
        actor=security_officer, owner=security_officer.agency, name="National", legal_basis="Law"
    )
    security.watchlist_load(
        actor=security_officer,
        watchlist=watchlist,
        content=b"external_id,given_name,family_name\nW-1,Lado,Wani\n",
        filename="list.csv",
    )
    found = Hit.objects.create(
        person=person, entry=watchlist.entries.get(), probability=0.9, explanation=EXPLANATION
    )
    return security.hit_decide(
        actor=security_officer, hit=found, decision="confirmed", reason=REASON
    )
