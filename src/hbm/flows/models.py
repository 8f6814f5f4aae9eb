"""Flow monitoring: enumerators' tally sheets at a point for a time window (DTM flow monitoring
registry style, one line per group observed) and the daily series that registrations and
tallies roll up into."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.lib.runs import Run
from hbm.lib.types import StrOrPromise
from hbm.places.models import BorderCrossingPoint, Country
from hbm.registry.models import Crossing


class AgeBand(models.TextChoices):
    CHILD_0_4 = "0-4", _("0–4")
    CHILD_5_17 = "5-17", _("5–17")
    ADULT_18_59 = "18-59", _("18–59")
    OLDER_60 = "60+", _("60 and over")
    UNKNOWN = "unknown", _("Age unknown")


class FlowSex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    UNKNOWN = "u", _("Not stated")


# The eight sex × age cells of a tally line, in the order the form shows them.
CELLS = (
    ("female_0_4", FlowSex.FEMALE, AgeBand.CHILD_0_4),
    ("female_5_17", FlowSex.FEMALE, AgeBand.CHILD_5_17),
    ("female_18_59", FlowSex.FEMALE, AgeBand.ADULT_18_59),
    ("female_60_plus", FlowSex.FEMALE, AgeBand.OLDER_60),
    ("male_0_4", FlowSex.MALE, AgeBand.CHILD_0_4),
    ("male_5_17", FlowSex.MALE, AgeBand.CHILD_5_17),
    ("male_18_59", FlowSex.MALE, AgeBand.ADULT_18_59),
    ("male_60_plus", FlowSex.MALE, AgeBand.OLDER_60),
)
VULNERABILITIES = (
    ("children_alone", _("Children alone or separated")),
    ("disability", _("People with a disability")),
    ("pregnant_or_lactating", _("Pregnant or lactating women")),
    ("serious_medical", _("Serious medical condition")),
    ("older_at_risk", _("Older people at risk")),
)


class FlowCount(models.Model):
    """One enumerator's tally for one point and one time window. Corrected by voiding and
    entering again, so the history of what was reported stays."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    content_hash = models.CharField(max_length=64)
    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.PROTECT, related_name="flow_counts"
    )
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    total = models.PositiveIntegerField(help_text=_("Everyone counted in the window."))
    estimated = models.BooleanField(
        default=False, help_text=_("Counts are estimates, not people counted one by one.")
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-window_start"]
        indexes = [
            models.Index(fields=["crossing_point", "window_start"], name="flowcount_point_start"),
            # National roles' list of tallies, newest first.
            models.Index(fields=["-window_start"], name="flowcount_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")),
                name="flowcount_window_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.crossing_point.code} {self.window_start:%Y-%m-%d %H:%M}"


def _cell(label: StrOrPromise) -> "models.PositiveIntegerField[int, int]":
    return models.PositiveIntegerField(label, default=0)


class FlowCountLine(models.Model):
    """A group (or several alike) seen crossing together: which way, who, from where, why."""

    count = models.ForeignKey(FlowCount, on_delete=models.CASCADE, related_name="lines")
    direction = models.CharField(max_length=5, choices=Crossing.Direction.choices)
    people = models.PositiveIntegerField(_("people"))
    female_0_4 = _cell(_("girls 0–4"))
    female_5_17 = _cell(_("girls 5–17"))
    female_18_59 = _cell(_("women 18–59"))
    female_60_plus = _cell(_("women 60+"))
    male_0_4 = _cell(_("boys 0–4"))
    male_5_17 = _cell(_("boys 5–17"))
    male_18_59 = _cell(_("men 18–59"))
    male_60_plus = _cell(_("men 60+"))
    nationality = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_place = models.CharField(max_length=150, blank=True)
    destination_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination_place = models.CharField(max_length=150, blank=True)
    transport = models.CharField(max_length=12, choices=Crossing.Transport.choices, blank=True)
    reason = models.CharField(max_length=12, choices=Crossing.Reason.choices, blank=True)
    children_alone = _cell(_("children alone or separated"))
    disability = _cell(_("people with a disability"))
    pregnant_or_lactating = _cell(_("pregnant or lactating women"))
    serious_medical = _cell(_("serious medical condition"))
    older_at_risk = _cell(_("older people at risk"))

    def __str__(self) -> str:
        return f"{self.direction} {self.people}"


EXPORT_ORDER = ["crossing_point", "day", "direction", "nationality", "source"]


class FlowDaily(models.Model):
    """People crossing per point, local day and breakdown, kept up to date as registrations
    and tallies arrive (see docs/flows.md for the rule that avoids double counting)."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Registered")
        COUNT = "count", _("Counted")

    # indexed by flowdaily_one_row_per_cell, which starts with it
    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField(help_text=_("Day in the point's local time zone."))
    direction = models.CharField(max_length=5, choices=Crossing.Direction.choices)
    sex = models.CharField(max_length=1, choices=FlowSex.choices)
    age_band = models.CharField(max_length=7, choices=AgeBand.choices)
    nationality = models.CharField(max_length=3, blank=True, help_text=_("ISO 3166 alpha-3"))
    source = models.CharField(max_length=12, choices=Source.choices)
    people = models.IntegerField(default=0)

    class Meta:
        # No index holds `people`: registrations update it all day, and on PostgreSQL an
        # update of an indexed column is never HOT (ADR 0145).
        constraints = [
            # in the order exports read them: one row per point, day, way, nationality, source
            models.UniqueConstraint(
                fields=[*EXPORT_ORDER, "sex", "age_band"], name="flowdaily_one_row_per_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crossing_point_id} {self.day} {self.people}"


ROLLUP_KEY = [
    "cut",
    "grain",
    "crossing_point",
    "period",
    "direction",
    "source",
    "sex",
    "age_band",
    "nationality",
]


class FlowRollup(models.Model):
    """FlowDaily summed over fewer dimensions, per day and per month, so that a dashboard
    over months reads thousands of rows instead of millions. Kept in step with FlowDaily by
    the same writes. Cuts: ``total``; ``nationality``; ``sex_age``; and for one nationality
    ``total@SSD`` and ``sex_age@SSD`` (the latter by month only: FlowDaily holds its days).
    Dimensions a cut leaves out are blank."""

    class Grain(models.TextChoices):
        DAY = "day"
        MONTH = "month"

    cut = models.CharField(max_length=12)
    grain = models.CharField(max_length=5, choices=Grain.choices)
    crossing_point = models.ForeignKey(
        BorderCrossingPoint, on_delete=models.CASCADE, related_name="+"
    )
    period = models.DateField(help_text=_("The local day, or the first day of the month."))
    direction = models.CharField(max_length=5, choices=Crossing.Direction.choices)
    source = models.CharField(max_length=12, choices=FlowDaily.Source.choices)
    sex = models.CharField(max_length=1, blank=True)
    age_band = models.CharField(max_length=7, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    people = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=ROLLUP_KEY, name="flowrollup_one_row_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.cut}/{self.grain} {self.crossing_point_id} {self.period} {self.people}"


class FlowRebuild(Run):
    """A background rebuild of the flow series (FlowDaily and FlowRollup), one month a chunk:
    each month is recomputed from the crossings and tallies in one short transaction, so
    registrations go on meanwhile and a rebuild resumes from the month where it stopped."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: started from the command line."),
    )
    rows_written = models.PositiveIntegerField(default=0)

    ADVICE = "Rebuild again: it goes on from the month where it stopped."
    UNIT = "months"

    def __str__(self) -> str:
        return f"flow rebuild {self.pk} ({self.status})"


class FlowRebuildMonth(models.Model):
    """One month of a rebuild, listed when the rebuild is asked for; the rebuild's cursor is
    the last one done."""

    rebuild = models.ForeignKey(FlowRebuild, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text=_("The first day of the month (points' local days)."))
    rows = models.PositiveIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rebuild", "month"]
        constraints = [
            models.UniqueConstraint(fields=["rebuild", "month"], name="flowrebuildmonth_once")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({'done' if self.done_at else 'to do'})"
