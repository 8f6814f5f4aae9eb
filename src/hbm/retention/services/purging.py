"""What a purge does to the records of each policy, one chunk per transaction.

Anonymising a person keeps the row, its crossings, registrations and group memberships, so
that every count they are part of (the flow series, the dashboards, the HXL exports) stays
as it was; what identifies the person is blanked, and the date of birth is coarsened only as
far as keeps each crossing in its age band (the series count crossings by age band)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from hbm.flows.services.rollup import age_band
from hbm.referrals.models import Referral
from hbm.registry.birth import age_on
from hbm.registry.models import (
    Consent,
    Crossing,
    DuplicateCandidate,
    Person,
    PersonCorrection,
    PersonReveal,
)
from hbm.registry.services.exports import export_files_purge
from hbm.registry.services.registration import stamp_again
from hbm.screening.models import (
    HealthScreening,
    ProtectionScreening,
    TracingMatch,
    TracingRequest,
)
from hbm.security.models import Hit, WatchlistEntry

ANONYMISED = "(anonymised)"
# Person fields blanked by anonymisation (sex, nationality, the estimated age, the first
# crossing point and the birth interval's coarse form stay: the counts are made of them).
BLANKED = (
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "name_original_script",
    "document_type",
    "document_number",
    "phone",
    "place_of_origin",
)
# A correction's values kept for these fields (they are kept on the person too).
KEPT_IN_CORRECTIONS = ("sex", "nationality", "age_estimate")
ENTRY_BLANKED = (
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "date_of_birth",
    "document_number",
)


# --- dates of birth ----------------------------------------------------------------------


def _bands(days: Iterable[date], earliest: date | None, latest: date | None) -> list[str]:
    return [age_band(age_on(day, earliest, latest)) for day in days]


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def coarse_birth(
    date_of_birth: str,
    earliest: date | None,
    latest: date | None,
    crossed: list[date],
    *,
    today: date,
) -> tuple[str, date | None, date | None]:
    """The coarsest true date of birth (its year, else its month) that puts every crossing
    in the age band it was counted in; the interval as it is when neither does. A crossing's
    day is local to its point: the day before and after are checked too. A date of birth
    given as a year or an estimated age is coarse already."""
    if earliest is None or latest is None or len(date_of_birth) <= 4:
        return date_of_birth, earliest, latest
    days = sorted({day + timedelta(days=shift) for day in crossed for shift in (-1, 0, 1)})
    counted = _bands(days, earliest, latest)
    year = int(date_of_birth[:4])
    month = earliest.month
    candidates = [
        (str(year), date(year, 1, 1), min(date(year, 12, 31), today)),
        (f"{year}-{month:02d}", date(year, month, 1), min(_month_end(year, month), today)),
    ]
    for text, first, last in candidates:
        if _bands(days, first, last) == counted:
            return text, first, last
    return date_of_birth[:7], earliest, latest


# --- persons -------------------------------------------------------------------------------


def persons_anonymise(persons: list[Person], *, now: datetime, policy: str) -> int:
    """Anonymise these persons and blank what other records hold of them. Call inside a
    transaction; the photos' files are deleted once it commits."""
    ids = [person.pk for person in persons]
    crossed: dict[int, list[date]] = defaultdict(list)
    for person_id, crossed_at in Crossing.objects.filter(person_id__in=ids).values_list(
        "person_id", "crossed_at"
    ):
        crossed[person_id].append(crossed_at.date())
    photos = []
    for person in persons:
        if person.photo:
            photos.append(person.photo)
        person.date_of_birth, person.birth_earliest, person.birth_latest = coarse_birth(
            person.date_of_birth,
            person.birth_earliest,
            person.birth_latest,
            crossed[person.pk],
            today=now.date(),
        )
        for field in BLANKED:
            setattr(person, field, "")
        person.languages, person.photo = [], ""
        person.anonymised_at, person.anonymised_under = now, policy
        # Stamped when written, and again once committed: every process's index follows the
        # stamps of the last moment only (hbm.registry.identity) and drops them then.
        person.updated_at = timezone.now()
    Person.objects.bulk_update(
        persons,
        [
            *BLANKED,
            "date_of_birth",
            "birth_earliest",
            "birth_latest",
            "languages",
            "photo",
            "anonymised_at",
            "anonymised_under",
            "updated_at",
        ],
    )
    _blank_related(ids)
    transaction.on_commit(lambda: _delete_files(photos))
    transaction.on_commit(lambda: stamp_again(persons))
    return len(persons)


def _delete_files(files: list[FieldFile]) -> None:
    for file in files:
        if file.name:
            file.storage.delete(file.name)


def _blank_related(ids: list[int]) -> None:
    Crossing.objects.filter(person_id__in=ids).update(origin_place="", destination="")
    Consent.objects.filter(person_id__in=ids).update(given_by_name="")
    Consent.objects.filter(person_id__in=ids, withdrawn_at__isnull=False).update(
        withdrawal_reason=ANONYMISED
    )
    _blank_corrections(ids)
    # Free text and match details, read and written through the models: some of these
    # fields are stored encrypted.
    for model in (ProtectionScreening, HealthScreening):
        for screening in model.objects.filter(person_id__in=ids):
            screening.notes = ""
            screening.save(update_fields=["notes"])
    for referral in Referral.objects.filter(person_id__in=ids):
        _referral_clear(referral, outcome=True)
    for hit in Hit.objects.filter(person_id__in=ids):
        hit.explanation = {}
        hit.save(update_fields=["explanation"])
    PersonReveal.objects.filter(person_id__in=ids).update(reason=ANONYMISED)
    TracingRequest.objects.filter(enquirer_id__in=ids).update(enquirer_name="")
    TracingMatch.objects.filter(person_id__in=ids).update(reasons=[], decision_note="")
    pairs = DuplicateCandidate.objects.filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids))
    pairs.filter(
        status__in=(DuplicateCandidate.Status.OPEN, DuplicateCandidate.Status.UNSURE)
    ).delete()
    pairs.update(explanation={})


def _blank_corrections(ids: list[int]) -> None:
    corrections = list(PersonCorrection.objects.filter(person_id__in=ids))
    for correction in corrections:
        correction.changes = [
            change
            if change["field"] in KEPT_IN_CORRECTIONS
            else {"field": change["field"], "before": "", "after": ""}
            for change in correction.changes
        ]
        correction.reason = ANONYMISED
    PersonCorrection.objects.bulk_update(corrections, ["changes", "reason"])


# --- watchlist entries, referrals, export files --------------------------------------------


def entries_purge(entries: list[WatchlistEntry], *, now: datetime) -> int:
    """Delete the blanked entries no hit refers to (the policy hands only those over
    blanked); blank the others, deactivated and stamped (again once committed) so that every
    process's index drops them, with the match details of their hits."""
    blanked = [e.pk for e in entries if not e.active and not any(_entry_values(e))]
    WatchlistEntry.objects.filter(pk__in=blanked).delete()
    rest = [e.pk for e in entries if e.pk not in set(blanked)]
    WatchlistEntry.objects.filter(pk__in=rest).update(
        active=False, updated_at=timezone.now(), **dict.fromkeys(ENTRY_BLANKED, "")
    )
    transaction.on_commit(
        lambda: WatchlistEntry.objects.filter(pk__in=rest).update(updated_at=timezone.now())
    )
    for hit in Hit.objects.filter(entry_id__in=rest):
        hit.explanation = {}
        hit.save(update_fields=["explanation"])
    return len(entries)


def _entry_values(entry: WatchlistEntry) -> list[str]:
    return [getattr(entry, field) for field in ENTRY_BLANKED]


def referral_holds_data(referral: Referral) -> bool:
    return bool(referral.shared or referral.notes)


def _referral_clear(referral: Referral, *, outcome: bool = False) -> None:
    referral.shared, referral.notes = {}, ""
    fields = ["shared", "notes"]
    if outcome:
        referral.outcome = ""
        fields.append("outcome")
    referral.save(update_fields=fields)


def referrals_clear(referrals: list[Referral], *, now: datetime) -> int:
    holding = [referral for referral in referrals if referral_holds_data(referral)]
    for referral in holding:
        _referral_clear(referral)
    return len(holding)


def exports_purge() -> int:
    return export_files_purge()
