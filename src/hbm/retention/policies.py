"""Every retention policy of HBM, in one list (docs/operations/retention.md).

A policy names a record type, what happens to its records once past retention (anonymised,
deleted, cleared) and which records are eligible now. Eligibility is read here; the changes
themselves are made by hbm.retention.services.purging, one chunk of records per transaction.

- ``inactive_persons``: a person with no activity for RETENTION_PERSON_DAYS (default 1825)
  and no open case is anonymised;
- ``watchlist_entries``: an entry not loaded again for its list's retention_days, with no
  hit waiting for review, is blanked; a day later it is deleted if no hit refers to it;
- ``referral_shared``: a closed referral's shared data and notes are cleared
  RETENTION_REFERRAL_SHARED_DAYS (default 365) after its last step;
- ``export_files``: a background export's file is deleted after EXPORT_RETENTION_HOURS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from hbm.lib.types import StrOrPromise
from hbm.referrals.models import Referral, ReferralEvent
from hbm.referrals.selectors import OPEN as OPEN_REFERRAL
from hbm.registry.models import Consent, Crossing, Person, PersonCorrection
from hbm.registry.services.exports import export_files_expired
from hbm.screening.models import HealthScreening, ProtectionScreening, TracingMatch, TracingRequest
from hbm.security.models import Hit, Watchlist, WatchlistEntry

CHILD_YEARS = 18
CLOSED_REFERRAL = (
    Referral.Status.REJECTED,
    Referral.Status.COMPLETED,
    Referral.Status.CLOSED,
    Referral.Status.REVOKED,
)
# A watchlist entry blanked by a purge stays (inactive, every identifying field empty) while a
# hit refers to it; one that no hit refers to is deleted by the next run, a day later, once
# every process has dropped it from its in-memory index (an index cannot see a deleted row).
BLANKED_ENTRY = Q(
    active=False,
    given_name="",
    family_name="",
    father_name="",
    other_names="",
    date_of_birth="",
    document_number="",
)
DELETE_BLANKED_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    code: str
    records: StrOrPromise
    action: StrOrPromise
    #: The oldest time a record may have to be kept at ``now`` (None: per record, e.g. per
    #: watchlist), shown in the report and the audit event.
    cutoff: Callable[[datetime], datetime | None]
    #: The records to act on at ``now``, in primary-key order.
    eligible: Callable[[datetime], QuerySet[Any]]
    #: The id a report shows of a record (a person's public id, a row's primary key).
    sample_id: Callable[[Any], str]

    def describe(self) -> str:
        return f"{self.records}: {self.action}"


def persons_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.RETENTION_PERSON_DAYS)


def _since(model: type[Any], cutoff: datetime, *fields: str, person: str = "person") -> Exists:
    """Whether the person has a row of ``model`` with any of ``fields`` at or after cutoff."""
    recent = reduce(or_, (Q(**{f"{field}__gte": cutoff}) for field in fields))
    return Exists(model.objects.filter(recent, **{person: OuterRef("pk")}))


def person_activity_since(cutoff: datetime) -> Q:
    """A person with any activity at or after ``cutoff``: changed, crossed, registered,
    screened, referred, consented, corrected, matched, traced."""
    return (
        Q(created_at__gte=cutoff)
        | Q(updated_at__gte=cutoff)
        | Q(_since(Crossing, cutoff, "crossed_at", "registration__created_at"))
        | Q(_since(ProtectionScreening, cutoff, "screened_at"))
        | Q(_since(HealthScreening, cutoff, "screened_at"))
        | Q(_since(Referral, cutoff, "sent_at", "accepted_at", "completed_at"))
        | Q(_since(ReferralEvent, cutoff, "at", person="referral__person"))
        | Q(_since(Consent, cutoff, "recorded_at", "withdrawn_at"))
        | Q(_since(PersonCorrection, cutoff, "corrected_at"))
        | Q(_since(Hit, cutoff, "found_at", "decided_at"))
        | Q(_since(TracingRequest, cutoff, "created_at", "closed_at", person="enquirer"))
        | Q(_since(TracingMatch, cutoff, "proposed_at", "decided_at"))
    )


def person_open_case(today: date) -> Q:
    """A person with a case still open: a referral not closed, a tracing request open (as
    the enquirer or a candidate), a hit waiting for review, or a child screened as
    unaccompanied or separated who may still be a child (age unknown included)."""
    child_until = today.replace(year=today.year - CHILD_YEARS)
    open_tracing = TracingRequest.Status.OPEN
    return (
        Q(Exists(Referral.objects.filter(person=OuterRef("pk"), status__in=OPEN_REFERRAL)))
        | Q(Exists(TracingRequest.objects.filter(enquirer=OuterRef("pk"), status=open_tracing)))
        | Q(
            Exists(
                TracingMatch.objects.filter(
                    person=OuterRef("pk"),
                    request__status=open_tracing,
                    decision=TracingMatch.Decision.PENDING,
                )
            )
        )
        | Q(Exists(Hit.objects.filter(person=OuterRef("pk"), status=Hit.Status.OPEN)))
        | Q(
            Exists(
                ProtectionScreening.objects.filter(
                    person=OuterRef("pk"), unaccompanied_or_separated=True
                )
            ),
            Q(birth_latest__isnull=True) | Q(birth_latest__gt=child_until),
        )
    )


def persons_eligible(now: datetime) -> QuerySet[Person]:
    cutoff = persons_cutoff(now)
    return (
        Person.objects.filter(anonymised_at__isnull=True)
        .exclude(person_activity_since(cutoff))
        .exclude(person_open_case(now.date()))
        .order_by("pk")
    )


def entries_eligible(now: datetime) -> QuerySet[WatchlistEntry]:
    """Entries not loaded again for their list's retention_days and not yet blanked, unless
    a hit on them waits for review; and blanked entries no hit refers to, a day after."""
    past = [
        Q(watchlist_id=pk, updated_at__lt=now - timedelta(days=days))
        for pk, days in Watchlist.objects.values_list("pk", "retention_days")
    ]
    if not past:
        return WatchlistEntry.objects.none()
    open_hit = Exists(Hit.objects.filter(entry=OuterRef("pk"), status=Hit.Status.OPEN))
    any_hit = Exists(Hit.objects.filter(entry=OuterRef("pk")))
    to_blank = Q(reduce(or_, past)) & ~BLANKED_ENTRY & ~Q(open_hit)
    to_delete = BLANKED_ENTRY & Q(updated_at__lt=now - DELETE_BLANKED_AFTER) & ~Q(any_hit)
    return WatchlistEntry.objects.filter(to_blank | to_delete).order_by("pk")


def referrals_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.RETENTION_REFERRAL_SHARED_DAYS)


def referrals_eligible(now: datetime) -> QuerySet[Referral]:
    """Closed referrals whose last step is older than the cutoff. Whether their shared data
    is already cleared is read per row (purging.referral_holds_data): the field may be
    stored encrypted, which a database filter cannot look into."""
    cutoff = referrals_cutoff(now)
    last = Greatest(
        "sent_at",
        Coalesce("completed_at", "sent_at"),
        Coalesce(Max("events__at"), "sent_at"),
    )
    return (
        Referral.objects.filter(status__in=CLOSED_REFERRAL, sent_at__lt=cutoff)
        .alias(last=last)
        .filter(last__lt=cutoff)
        .order_by("pk")
    )


def exports_cutoff(now: datetime) -> datetime:
    return now - timedelta(hours=settings.EXPORT_RETENTION_HOURS)


POLICIES: tuple[Policy, ...] = (
    Policy(
        code="inactive_persons",
        records=_("Persons"),
        action=_("anonymised after RETENTION_PERSON_DAYS without activity or an open case"),
        cutoff=persons_cutoff,
        eligible=persons_eligible,
        sample_id=lambda person: str(person.public_id),
    ),
    Policy(
        code="watchlist_entries",
        records=_("Watchlist entries"),
        action=_("blanked after their list's retention_days, then deleted when no hit refers"),
        cutoff=lambda _now: None,
        eligible=entries_eligible,
        sample_id=lambda entry: str(entry.pk),
    ),
    Policy(
        code="referral_shared",
        records=_("Closed referrals"),
        action=_("shared data cleared RETENTION_REFERRAL_SHARED_DAYS after they closed"),
        cutoff=referrals_cutoff,
        eligible=referrals_eligible,
        sample_id=lambda referral: str(referral.pk),
    ),
    Policy(
        code="export_files",
        records=_("Export files"),
        action=_("deleted EXPORT_RETENTION_HOURS after they were written"),
        cutoff=exports_cutoff,
        eligible=lambda now: export_files_expired(now=now).order_by("pk"),
        sample_id=lambda run: str(run.pk),
    ),
)
POLICY_CODES = tuple(policy.code for policy in POLICIES)


def policy_get(code: str) -> Policy:
    return next(policy for policy in POLICIES if policy.code == code)
