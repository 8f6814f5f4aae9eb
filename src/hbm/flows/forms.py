"""Forms of flow monitoring: the tally sheet (a window and its groups) and the filters of the
dashboard. Times are entered in the crossing point's own time zone."""

import uuid
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.flows.inputs import CountLineInput, FlowCountInput
from hbm.flows.models import CELLS, VULNERABILITIES, FlowCountLine
from hbm.flows.selectors import DEFAULT_DAYS, MAX_DAYS, FlowFilters, latest_local_day
from hbm.places.models import BorderCrossingPoint
from hbm.registry.models import Crossing

PERIOD_TOO_LONG = _("Choose a period of at most %(days)d days.")
PERIOD_ORDER = _("The period ends before it starts.")


def _number(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "class": "count"}),
    )


def _country_code(label: Any) -> forms.CharField:
    """An ISO alpha-3 code typed with the page's list of countries as suggestions."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"list": "countries", "class": "code3"}),
    )


class CountSheetForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    crossing_point = forms.ModelChoiceField(
        label=_("Crossing point"), queryset=BorderCrossingPoint.objects.none(), to_field_name="code"
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        label=_("To"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Local time at the point; an end before the start means the next day."),
    )
    total = forms.IntegerField(
        label=_("Everyone counted"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        help_text=_("Must equal the groups below added up."),
    )
    estimated = forms.BooleanField(label=_("Counts are estimates"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, points: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[BorderCrossingPoint]", self.fields["crossing_point"]
        ).queryset = points
        # A tally is most often entered on its own day: today, at the point if there is one.
        self.fields["day"].initial = latest_local_day()
        if points.count() == 1:
            point = points.first()
            self.fields["crossing_point"].initial = point.code
            self.fields["day"].initial = timezone.localtime(
                timezone=ZoneInfo(point.time_zone)
            ).date()

    def window(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        zone = ZoneInfo(data["crossing_point"].time_zone)
        start = datetime.combine(data["day"], data["start"], tzinfo=zone)
        end_day = data["day"] + timedelta(days=1) if data["end"] < data["start"] else data["day"]
        return start, datetime.combine(end_day, data["end"], tzinfo=zone)


class CountLineForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Crossing.Direction.choices)
    people = forms.IntegerField(
        label=_("People in the group"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    nationality = _country_code(_("Nationality"))
    origin_country = _country_code(_("Coming from"))
    origin_place = forms.CharField(label=_("Place of origin"), required=False, max_length=150)
    destination_country = _country_code(_("Going to"))
    destination_place = forms.CharField(label=_("Destination"), required=False, max_length=150)
    transport = forms.ChoiceField(
        label=_("Transport"), required=False, choices=[("", "—"), *Crossing.Transport.choices]
    )
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", "—"), *Crossing.Reason.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _sex, _band in CELLS:
            self.fields[name] = _number(
                cast("Field[Any, Any]", FlowCountLine._meta.get_field(name)).verbose_name
            )
        for name, label in VULNERABILITIES:
            self.fields[name] = _number(label)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        numbers = [n for n in [data.get("people"), *(data.get(c) for c, _s, _b in CELLS)] if n]
        return not numbers

    def to_input(self) -> CountLineInput:
        data = {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}
        numbers = [name for name, _s, _b in CELLS] + [name for name, _l in VULNERABILITIES]
        for name in numbers:
            data[name] = data.get(name) or 0
        if data.get("people") is None:
            data["people"] = sum(data[name] for name, _s, _b in CELLS)
        for name in ("nationality", "origin_country", "destination_country"):
            data[name] = (data.get(name) or "").strip().upper()
        return CountLineInput(**data)


CountLineFormSet = forms.formset_factory(CountLineForm, extra=0, min_num=1, max_num=60)


def sheet_input(sheet: CountSheetForm, lines: list[CountLineForm]) -> FlowCountInput:
    start, end = sheet.window()
    data = sheet.cleaned_data
    return FlowCountInput(
        id=data["id"],
        crossing_point=data["crossing_point"].code,
        window_start=start,
        window_end=end,
        total=data["total"],
        estimated=data["estimated"],
        notes=data["notes"],
        lines=tuple(form.to_input() for form in lines),
    )


class FlowFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    country = forms.CharField(label=_("Country"), required=False, max_length=3)
    area = forms.CharField(label=_("Area (p-code)"), required=False, max_length=30)
    point = forms.ChoiceField(label=_("Crossing point"), required=False)
    nationality = _country_code(_("Nationality"))
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Arrivals")), *Crossing.Direction.choices],
        help_text=_("For the pyramid, nationalities and map."),
    )

    def __init__(self, *args: Any, points: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["point"]).choices = [("", _("All"))] + [
            (p.code, p.name) for p in points
        ]
        countries = sorted(
            {(p.country_id, p.country.local_name) for p in points}, key=lambda c: c[1]
        )
        self.fields["country"].widget = forms.Select(choices=[("", _("All")), *countries])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", PERIOD_ORDER)
        elif start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error("start", PERIOD_TOO_LONG % {"days": MAX_DAYS})
        return data

    def filters(self) -> FlowFilters:
        """The filters asked for; a missing or wrong period falls back to the last 30 days."""
        data = self.cleaned_data if self.is_valid() else {}
        today = latest_local_day()
        end: date = data.get("end") or today
        start: date = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        where = {
            name: (data.get(name) or "").strip()
            for name in ("country", "area", "point", "nationality", "direction")
        }
        return FlowFilters(start=start, end=end, **where)
