"""The API of hbm.collect: XLSForm upload by coordinators and administrators. The OpenRosa
endpoints devices use are not here (they speak XML, see views_openrosa)."""

import json

from django.core.exceptions import ValidationError
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hbm.accounts.requests import AuthenticatedHttpRequest
from hbm.collect import selectors
from hbm.collect.forms import MAX_XLSFORM_BYTES
from hbm.collect.models import CollectForm
from hbm.collect.services import forms

router = Router(tags=["collect"])

TOO_LARGE = f"The file is larger than {MAX_XLSFORM_BYTES // (1024 * 1024)} MB."
NOT_JSON = "Not valid JSON: {}"


class CollectFormOut(Schema):
    id: int
    form_id: str
    title: str
    version: str
    hash: str
    active: bool
    crossing_points: list[str]
    mapping: dict[str, str]

    @staticmethod
    def resolve_hash(form: CollectForm) -> str:
        return f"md5:{form.md5}"

    @staticmethod
    def resolve_crossing_points(form: CollectForm) -> list[str]:
        return sorted(point.code for point in form.crossing_points.all())


@router.post(
    "/collect/forms",
    response={201: CollectFormOut},
    summary="Upload an XLSForm for ODK Collect / KoboCollect (converted with pyxform)",
)
def collect_form_upload(
    request: AuthenticatedHttpRequest,
    file: File[UploadedFile],
    crossing_points: Form[str],
    mapping: Form[str] = "",
) -> Status[CollectForm]:
    """``crossing_points``: codes separated by commas. ``mapping``: a JSON object, XForm path
    → registration field (docs/collect.md); empty for the default mapping."""
    content = file.read(MAX_XLSFORM_BYTES + 1)
    if len(content) > MAX_XLSFORM_BYTES:
        raise ValidationError({"file": [TOO_LARGE]})
    codes = [code.strip() for code in crossing_points.split(",") if code.strip()]
    points, unknown = selectors.points_by_code(user=request.user, codes=codes)
    if unknown:
        raise ValidationError({"crossing_points": [selectors.UNKNOWN_POINTS.format(unknown)]})
    try:
        parsed = json.loads(mapping) if mapping.strip() else None
    except ValueError as error:
        raise ValidationError({"mapping": [NOT_JSON.format(error)]}) from error
    made = forms.collect_form_upload(
        actor=request.user,
        content=content,
        filename=file.name or "form.xlsx",
        crossing_points=points,
        mapping=parsed,
    )
    return Status(201, made)
