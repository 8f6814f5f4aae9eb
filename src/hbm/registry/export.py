"""Streamed exports of registrations: one row per crossing, with an HXL hashtag row.

The HXL mapping is documented in docs/registry.md. Rows are read in chunks and written as
they go, so a million rows need constant memory. Only identity and movement fields are
exported; protection, health and security details never leave through here.
"""

import io
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from hbm.lib import streams
from hbm.registry.models import Consent, GroupMember
from hbm.registry.selectors import valid_consent_rule

COLUMNS: list[tuple[str, str, Callable[[Any], Any]]] = [
    # header, HXL hashtag, value
    ("crossing_id", "#meta+id+crossing", lambda c: c.public_id),
    ("crossed_at", "#date+crossed", lambda c: c.crossed_at.isoformat()),
    ("crossing_point", "#loc+code+crossing", lambda c: c.crossing_point.code),
    ("direction", "#indicator+direction", lambda c: c.direction),
    ("group_id", "#meta+id+group", lambda c: c.group.public_id),
    ("person_id", "#meta+id+person", lambda c: c.person.public_id),
    ("relationship", "#beneficiary+relationship", lambda c: c.relationship),
    ("group_kind", "#meta+group+type", lambda c: c.group.kind),
    ("given_name", "#beneficiary+name+given", lambda c: c.person.given_name),
    ("family_name", "#beneficiary+name+family", lambda c: c.person.family_name),
    ("father_name", "#beneficiary+name+father", lambda c: c.person.father_name),
    ("name_original_script", "#beneficiary+name+original", lambda c: c.person.name_original_script),
    ("sex", "#beneficiary+sex", lambda c: c.person.sex),
    ("date_of_birth", "#beneficiary+date+birth", lambda c: c.person.date_of_birth),
    ("age_estimate", "#beneficiary+age+estimated", lambda c: c.person.age_estimate),
    ("nationality", "#country+code+nationality", lambda c: c.person.nationality_id),
    ("document_number", "#beneficiary+id+document", lambda c: c.person.document_number),
    ("origin_country", "#country+code+origin", lambda c: c.origin_country_id),
    ("origin_place", "#loc+name+origin", lambda c: c.origin_place),
    ("destination", "#loc+name+destination", lambda c: c.destination),
    ("transport", "#indicator+transport", lambda c: c.transport),
    ("reason", "#indicator+reason", lambda c: c.reason),
    (
        "child_without_related_adult",
        "#indicator+child+unaccompanied",
        lambda c: int(c.child_without_related_adult),
    ),
    # Whether the person's consent to registration is in force today; an import needs it.
    ("consent_given", "#indicator+consent", lambda c: "yes" if c.consent_in_force else "no"),
]
CHUNK = 2_000


HEADER_ROWS = [[header for header, _, _ in COLUMNS], [tag for _, tag, _ in COLUMNS]]


def export_queryset(crossings: Any) -> Any:
    """The crossings with what their rows need, in primary-key order."""
    relationship = GroupMember.objects.filter(
        group=OuterRef("group"), person=OuterRef("person")
    ).values("relationship")[:1]
    consent = Consent.objects.filter(
        valid_consent_rule(today=timezone.localdate()),
        person=OuterRef("person"),
        purpose=Consent.Purpose.REGISTRATION,
    )
    return (
        crossings.select_related("person", "group", "crossing_point")
        .annotate(relationship=Subquery(relationship), consent_in_force=Exists(consent))
        .order_by("pk")
    )


def export_row(crossing: Any) -> list[Any]:
    return ["" if (v := value(crossing)) is None else v for _, _, value in COLUMNS]


def _rows(crossings: Any) -> Iterator[list[Any]]:
    yield from HEADER_ROWS
    for crossing in export_queryset(crossings).iterator(chunk_size=CHUNK):
        yield export_row(crossing)


def csv_stream(crossings: Any) -> Iterator[str]:
    return streams.csv_stream(_rows(crossings))


def xlsx_file(crossings: Any) -> io.BufferedRandom:
    return streams.xlsx_file(_rows(crossings), sheet=SHEET)


SHEET = "registrations"


def file_name(file_format: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return f"hbm-registrations-{stamp}.{file_format}"


def export_response(crossings: Any, file_format: str) -> HttpResponseBase:
    """The whole export in the answer: XLSX spooled to a temporary file, CSV streamed."""
    if file_format == "xlsx":
        return FileResponse(
            xlsx_file(crossings), as_attachment=True, filename=file_name(file_format)
        )
    response = StreamingHttpResponse(csv_stream(crossings), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(file_format)}"'
    return response
