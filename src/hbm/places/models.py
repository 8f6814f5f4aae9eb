import gettext
from functools import cache

import pycountry
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@cache
def _country_names(language: str) -> gettext.NullTranslations:
    """pycountry's translations of the ISO 3166-1 names into ``language`` (none: English)."""
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


class Country(models.Model):
    """ISO 3166-1 countries, loaded from pycountry by a data migration."""

    code = models.CharField(max_length=3, primary_key=True, help_text=_("ISO 3166-1 alpha-3"))
    alpha2 = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    @property
    def local_name(self) -> str:
        """The name in the request's language where pycountry translates it (data shown
        translated, as need labels are: ADR 0021), else the stored English name."""
        names = _country_names(get_language() or "en")
        iso = pycountry.countries.get(alpha_3=self.code)
        for msgid in (self.name, getattr(iso, "common_name", None), getattr(iso, "name", None)):
            if msgid and (translated := names.gettext(msgid)) != msgid:
                return translated
        return self.name


class AdminArea(models.Model):
    pcode = models.CharField(max_length=30, unique=True, help_text=_("OCHA p-code"))
    name = models.CharField(max_length=150)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="admin_areas")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["country", "level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="adminarea_level_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})"


class BorderCrossingPoint(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL_BCP = "official_bcp", _("Official border crossing point")
        FLOW_MONITORING_POINT = "flow_monitoring_point", _("Flow monitoring point")
        OTHER_POINT_OF_ENTRY = "other_point_of_entry", _("Other point of entry")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESTRICTED = "restricted", _("Restricted")
        CLOSED = "closed", _("Closed")

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OFFICIAL_BCP)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="crossing_points")
    neighbour_country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    admin_area = models.ForeignKey(
        AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="crossing_points"
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    daily_capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("People the point can receive per day.")
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    time_zone = models.CharField(max_length=64, default="UTC")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="bcp_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="bcp_longitude_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(neighbour_country=models.F("country")),
                name="bcp_neighbour_is_another_country",
            ),
        ]
        indexes = [models.Index(fields=["country", "status"])]

    def __str__(self) -> str:
        return self.name
