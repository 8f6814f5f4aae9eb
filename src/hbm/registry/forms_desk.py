"""The registration desk's forms: they turn the posted screen into a ``RegistrationInput`` and
put the service's problems (``members.2.date_of_birth``) back next to the fields.

Only input parsing lives here (types, spacing, separators); every rule is the service's.
"""

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from hbm.matching.dates import parse_date
from hbm.places.models import BorderCrossingPoint
from hbm.registry.inputs import MemberInput, RegistrationInput
from hbm.registry.models import Consent, Crossing, Group, Person, Relationship, Sex
from hbm.registry.validation import normalise_document, normalise_phone

MEMBERS_PREFIX = "members"
DATE_SEPARATORS = re.compile(r"[./\s]+")
OLDEST_QUERY_AGE = 130
# Fields whose content says a member row was filled in; a row with none of them is skipped.
CONTENT_FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "name_original_script",
    "date_of_birth",
    "nationality",
    "document_number",
    "phone",
    "place_of_origin",
)
MATCH_FIELDS = (
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "date_of_birth",
    "age_estimate",
    "nationality",
    "document_number",
    "phone",
    "place_of_origin",
)


def _blank(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class CountryField(forms.CharField):
    """An ISO alpha-3 code typed with the help of a <datalist>; a country's full name typed
    instead of its code is read as that code."""

    def __init__(self, *, countries: Mapping[str, str], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.by_name: dict[str, str] = {name.casefold(): code for code, name in countries.items()}
        self.widget.attrs.update(
            {"list": "countries", "autocomplete": "off", "spellcheck": "false"}
        )

    def clean(self, value: Any) -> str:
        text: str = super().clean(value).strip()
        return self.by_name.get(text.casefold(), text.upper())


class DeskForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput)
    crossing_point = forms.ChoiceField(label=_("Crossing point"))
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Crossing.Direction.choices,
        initial=Crossing.Direction.ENTRY,
        widget=forms.RadioSelect,
    )
    group_kind = forms.ChoiceField(
        label=_("Group"), choices=Group.Kind.choices, initial=Group.Kind.HOUSEHOLD
    )
    transport = forms.ChoiceField(
        label=_("Means of transport"), choices=_blank(Crossing.Transport.choices), required=False
    )
    reason = forms.ChoiceField(
        label=_("Reason for crossing"), choices=_blank(Crossing.Reason.choices), required=False
    )
    origin_place = forms.CharField(label=_("Coming from (place)"), required=False, max_length=150)
    destination = forms.CharField(label=_("Destination"), required=False, max_length=150)
    consent_given = forms.BooleanField(
        label=_("Consent to registration and assistance was given"), required=False
    )
    consent_giver = forms.ChoiceField(
        label=_("Who gave consent"),
        choices=Consent.GivenBy.choices,
        initial=Consent.GivenBy.SELF,
        required=False,
    )
    consent_given_by = forms.CharField(
        label=_("Consent given by (parent or guardian, for children)"),
        required=False,
        max_length=150,
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=_blank(Consent.Method.choices), required=False
    )

    def __init__(
        self,
        *args: Any,
        points: QuerySet[BorderCrossingPoint],
        countries: Mapping[str, str],
        home_point: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.code, p.name) for p in points]
        field = self.fields["crossing_point"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices if len(choices) == 1 else _blank(choices)
        if len(choices) == 1:  # the officer's only point is already chosen
            field.initial = choices[0][0]
        elif home_point in dict(choices):  # a deployment added points: home comes first
            field.initial = home_point
        self.fields["origin_country"] = CountryField(
            label=_("Coming from (country)"), countries=countries
        )
        self.order_fields(["id", "crossing_point", "direction", "group_kind", "transport"])
        if not self.is_bound:
            self.initial["id"] = uuid.uuid4()

    def renew_id(self) -> None:
        """Give a bound form a fresh registration id (after a replay with changed content)."""
        data = cast(QueryDict, self.data).copy()
        data[self.add_prefix("id")] = str(uuid.uuid4())
        self.data = data


class IdentityForm(forms.Form):
    """A person's identity and contact fields as the desk types them (a member row, a
    correction)."""

    given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    father_name = forms.CharField(label=_("Father's name"), required=False, max_length=100)
    name_original_script = forms.CharField(
        label=_("Name in original script"), required=False, max_length=300
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank(Sex.choices), required=False)
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"placeholder": _("YYYY-MM-DD"), "inputmode": "decimal", "autocomplete": "off"}
        ),
    )
    age_estimate = forms.IntegerField(
        label=_("or estimated age"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    document_type = forms.ChoiceField(
        label=_("Document"), choices=_blank(Person.DocumentType.choices), required=False
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=50)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    place_of_origin = forms.CharField(label=_("Place of origin"), required=False, max_length=150)

    def __init__(self, *args: Any, countries: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"] = CountryField(label=_("Nationality"), countries=countries)
        # Names and places follow what is typed; numbers and codes read left to right
        # (in an Arabic screen a phone number's groups must not come out reversed).
        for name in ("given_name", "family_name", "father_name", "name_original_script"):
            self.fields[name].widget.attrs["dir"] = "auto"
        self.fields["place_of_origin"].widget.attrs["dir"] = "auto"
        for name in ("date_of_birth", "phone", "document_number", "nationality"):
            self.fields[name].widget.attrs["dir"] = "ltr"

    def clean_date_of_birth(self) -> str:
        """Tablets' numeric keypads have '.' but no '-': 1984.03.12 reads as 1984-03-12."""
        return DATE_SEPARATORS.sub("-", self.cleaned_data["date_of_birth"].strip())


NAME_FIELDS = ("given_name", "family_name", "father_name", "name_original_script")


class MemberForm(IdentityForm):
    relationship = forms.ChoiceField(
        label=_("Relationship to head"),
        choices=Relationship.choices,
        initial=Relationship.CHILD,
    )
    existing_person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    existing_label = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, countries: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, countries=countries, **kwargs)
        self.order_fields(["relationship", "existing_person", "existing_label", *CONTENT_FIELDS])
        for name in ("given_name", "family_name", "father_name"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("existing_person")
            or data.get("age_estimate") is not None
            or any(data.get(name) for name in CONTENT_FIELDS)
        )

    def proposes_on_load(self) -> bool:
        """Whether the row, shown again after a refusal, asks for its possible matches as the
        page opens: it was sent with a name typed and was not linked to a record, so the
        officer still sees the records it may be (the panel is empty in a fresh page)."""
        if not self.is_bound:
            return False
        typed = (self.data.get(self.add_prefix(name), "").strip() for name in NAME_FIELDS)
        linked = self.data.get(self.add_prefix("existing_person"), "").strip()
        return any(typed) and not linked

    def member_input(self) -> MemberInput:
        data = self.cleaned_data
        if data["existing_person"]:
            # A linked member brings its record; what was typed in the row is not sent.
            return MemberInput(
                relationship=data["relationship"], existing_person=data["existing_person"]
            )
        return MemberInput(
            relationship=data["relationship"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            father_name=data["father_name"],
            name_original_script=data["name_original_script"],
            sex=data["sex"],
            date_of_birth=data["date_of_birth"],
            age_estimate=data["age_estimate"],
            nationality=data["nationality"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            phone=data["phone"],
            place_of_origin=data["place_of_origin"],
        )

    def match_query(self) -> dict[str, Any]:
        """What the engine needs to look for this member, leaving out a date or an age still
        being typed. Empty when the row is linked or has no name yet."""
        self.full_clean()  # a field with an error (the row is being typed) is left out
        if self.cleaned_data.get("existing_person"):
            return {}
        data = {name: self.cleaned_data.get(name) for name in MATCH_FIELDS}
        if not (data["given_name"] or data["family_name"]):
            return {}
        if data["date_of_birth"] and parse_date(data["date_of_birth"]) is None:
            data["date_of_birth"] = ""
        if data["age_estimate"] is not None and not 0 <= data["age_estimate"] <= OLDEST_QUERY_AGE:
            data["age_estimate"] = None
        data["other_names"] = self.cleaned_data.get("name_original_script")
        data["document_number"] = normalise_document(data["document_number"] or "")
        data["phone"] = normalise_phone(data["phone"] or "")
        return {k: v for k, v in data.items() if v not in ("", None)}


class BaseMemberFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return dict(self.form_kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        """The first row is the head of the group; the others say how they relate to it."""
        super().add_fields(form, index)
        relationship = form.fields["relationship"]
        assert isinstance(relationship, forms.ChoiceField)
        if index == 0:
            relationship.initial = Relationship.HEAD
        else:
            relationship.choices = [c for c in Relationship.choices if c[0] != Relationship.HEAD]


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=0, min_num=1, validate_min=True
)


def member_formset(data: Mapping[str, Any] | None, *, countries: Mapping[str, str]) -> Any:
    return MemberFormSet(data, prefix=MEMBERS_PREFIX, form_kwargs={"countries": countries})


@dataclass
class DeskInput:
    data: RegistrationInput
    # members.N of the service is the form at form_index[N] (blank rows are not sent).
    form_index: list[int]


def registration_input(form: DeskForm, members: Any) -> DeskInput:
    """The registration the officer typed; both forms must be valid."""
    rows = [
        (index, member)
        for index, member in enumerate(members.forms)
        if index == 0 or not member.is_blank()
    ]
    group = form.cleaned_data
    data = RegistrationInput(
        id=group["id"],
        crossing_point=group["crossing_point"],
        direction=group["direction"],
        group_kind=group["group_kind"],
        transport=group["transport"],
        reason=group["reason"],
        origin_country=group["origin_country"],
        origin_place=group["origin_place"],
        destination=group["destination"],
        consent_given=group["consent_given"],
        consent_given_by=group["consent_given_by"],
        consent_giver=group["consent_giver"],
        consent_method=group["consent_method"],
        members=tuple(member.member_input() for _index, member in rows),
    )
    return DeskInput(data=data, form_index=[index for index, _member in rows])


def attach_problems(
    form: DeskForm, members: Any, problems: Mapping[str, list[str]], form_index: list[int]
) -> None:
    """Put each of the service's messages next to its field; those with no field of their
    own on the screen go to the form's (or the member row's) general errors."""
    for path, messages in problems.items():
        parts = path.split(".")
        target: forms.Form = form
        field: str | None = parts[0]
        if parts[0] == MEMBERS_PREFIX:
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(form_index):
                target = members.forms[form_index[int(parts[1])]]
                field = parts[2] if len(parts) > 2 else None
            else:
                field = None
        if field not in target.fields:
            field = None
        for message in messages:
            target.add_error(field, message)


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    anchor: str


def error_summary(form: DeskForm, members: Any) -> list[Problem]:
    """Every error on the screen, in screen order, each with a link to its field."""
    summary: list[Problem] = []
    for message in form.non_field_errors():
        summary.append(Problem("", str(message), "desk-form"))
    for message in members.non_form_errors():
        summary.append(Problem(str(_("People")), str(message), "members"))
    for name, field in form.fields.items():
        for message in form.errors.get(name, []):
            summary.append(Problem(str(field.label), str(message), form[name].auto_id))
    for index, member in enumerate(members.forms):
        person = str(_("Person %(n)d")) % {"n": index + 1}
        for message in member.non_field_errors():
            summary.append(Problem(person, message, f"member-{index}"))
        for name, field in member.fields.items():
            for message in member.errors.get(name, []):
                anchor = member[name].auto_id if name != "existing_person" else f"member-{index}"
                summary.append(Problem(f"{person} · {field.label or ''}", message, anchor))
    return summary
