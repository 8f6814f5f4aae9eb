"""A small demo watchlist, so that the hits workflow shows at once: a few entries written as a
real list writes the people it seeks — another spelling, the names in another order, only a
year of birth, a document number — of a few arrivals at the security officer's crossing
points, and two entries who never came. Every name is invented, like the population."""

from collections import Counter

from django.db.models import Count

from hbm.accounts.models import User
from hbm.demo.people import VARIANTS
from hbm.registry.models import Person
from hbm.security.models import Watchlist
from hbm.security.screening import screen_persons
from hbm.security.services import watchlist_create, watchlist_load

LIST_NAME = "PNC — persons sought (demo)"
LEGAL_BASIS = "Illustrative only: an invented list for the demonstration, with no legal basis."
TARGETS = 4
CHUNK = 5_000
HEADER = (
    "external_id,given_name,family_name,father_name,other_names,date_of_birth,nationality,"
    "document_number,reason_category,required_action"
)
NEVER_CAME = [
    "PNC-D-901,Tshibola,Mwanangombe,,,1966-04-02,COD,,armed group,hold",
    "PNC-D-902,,,,Abdelkarim Osman Fadlallah,1971,SDN,,wanted,refer",
]
_CANONICAL = {variant: name for name, variants in VARIANTS.items() for variant in variants}


def spelled_otherwise(name: str) -> str:
    """Another common spelling of a name, as another clerk would have written it."""
    if name in _CANONICAL:
        return _CANONICAL[name]
    return VARIANTS[name][0] if name in VARIANTS else name


def _targets(security: User) -> list[Person]:
    """Adults registered at the officer's points with a full date of birth and a document,
    the rarest names first (a list seeks a person, not a whole clan of namesakes)."""
    people = Person.objects.filter(
        first_crossing_point__in=security.crossing_points.all(),
        date_of_birth__regex=r"^\d{4}-\d{2}-\d{2}$",
    ).exclude(document_number="")
    names = Counter(
        {
            (row["given_name"], row["family_name"]): row["n"]
            for row in Person.objects.values("given_name", "family_name").annotate(n=Count("id"))
        }
    )
    ordered = sorted(people.order_by("pk"), key=lambda p: names[(p.given_name, p.family_name)])
    return ordered[:TARGETS]


def _entry(n: int, person: Person) -> str:
    given, family = spelled_otherwise(person.given_name), spelled_otherwise(person.family_name)
    dob, nationality, key = person.date_of_birth, person.nationality_id, f"PNC-D-{101 + n}"
    rows = [
        f"{key},{given},{family},,,{dob},{nationality},,armed group,hold",
        f"{key},,,,{person.family_name} {person.given_name},{dob[:4]},{nationality},,wanted,refer",
        f"{key},{person.given_name},{family},,,{dob[:4]},{nationality},{person.document_number},"
        "smuggling,refer",
        f"{key},{given},{person.family_name},{person.father_name},,{dob[:7]},{nationality},,"
        "document fraud,inform",
    ]
    return rows[n % len(rows)]


def demo_load_watchlist() -> int:
    """Entries loaded (0 when the list is already there), then every registration screened
    against it now, so that the hits wait for the security officer when the demo opens (the
    load also queues the usual rescreen, which then finds nothing new)."""
    if Watchlist.objects.filter(name=LIST_NAME).exists():
        return 0
    security = User.objects.get(username="security")
    assert security.agency is not None, "the scenario gives every user an agency"
    lines = [_entry(n, person) for n, person in enumerate(_targets(security))]
    watchlist = watchlist_create(
        actor=security, owner=security.agency, name=LIST_NAME, legal_basis=LEGAL_BASIS
    )
    summary = watchlist_load(
        actor=security,
        watchlist=watchlist,
        content="\n".join([HEADER, *lines, *NEVER_CAME, ""]).encode(),
        filename="pnc-persons-sought-demo.csv",
    )
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        screen_persons(list(Person.objects.filter(pk__in=ids[start : start + CHUNK])))
    return summary.added
