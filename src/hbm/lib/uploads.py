"""The two steps every import page shares: check the file (a dry run with a preview), then
import it on confirmation. The file travels between the steps inside the page, so nothing is
stored on the server until the import itself."""

import base64
import binascii
from collections.abc import Callable
from typing import Any, TypedDict, TypeVar, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from hbm.lib.rejected import Rejected

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
TOO_LARGE = _("The file is larger than 5 MB; split it.")
WRONG_TYPE = _("Upload a .csv or .xlsx file.")


class Upload(TypedDict):
    content: bytes
    filename: str


def uploaded(file: UploadedFile) -> Upload:
    """An API upload as every import service takes it."""
    return {"content": file.read(), "filename": file.name or "upload.csv"}


RequestT = TypeVar("RequestT", bound=HttpRequest)
Handler = Callable[[RequestT, bool, Upload], Schema]


def dry_run_import(
    router: Router, path: str, *, response: type[Schema], summary: str
) -> Callable[[Handler[RequestT]], Handler[RequestT]]:
    """Declares ``POST path`` for a CSV/XLSX import that checks the file unless told
    ``dry_run=false``, answered by ``handler(request, dry_run, upload)``. The operation keeps
    the handler's own name in the API document."""

    def declare(handler: Handler[RequestT]) -> Handler[RequestT]:
        def endpoint(
            request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = True
        ) -> Schema:
            return handler(cast(RequestT, request), dry_run, uploaded(file))

        operation_id = f"{handler.__module__}_{handler.__name__}".replace(".", "_")
        router.post(path, response=response, summary=summary, operation_id=operation_id)(endpoint)
        return handler

    return declare


class ImportFileForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    extensions: tuple[str, ...] = (".csv", ".xlsx")
    too_large = TOO_LARGE
    wrong_type = WRONG_TYPE

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(self.too_large)
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(self.wrong_type)
        return upload

    def carried(self) -> dict[str, str]:
        """Options of the check step that the confirm step must send again (a subclass's
        extra fields), as hidden form values."""
        return {}


def two_step_import(
    request: HttpRequest,
    *,
    template: str,
    run: Callable[[bytes, str, bool], Any],
    on_done: Callable[[Any], HttpResponse],
    form_class: type[ImportFileForm] = ImportFileForm,
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """``run(content, filename, dry_run)`` imports or previews, or raises Rejected with the
    problems to show; ``on_done(result)`` answers a finished import."""
    form = form_class(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {**(extra_context or {}), "form": form}
    if request.method != "POST":
        return render(request, template, context)
    if "confirm" in request.POST:
        try:
            content = base64.b64decode(request.POST.get("content", ""), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        filename, dry_run = request.POST.get("filename", "upload.csv"), False
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        content, filename, dry_run = upload.read(), upload.name, True
    else:
        return render(request, template, context, status=422)
    try:
        result = run(content, filename, dry_run)
    except Rejected as error:
        context["problems"] = error.problems
        return render(request, template, context, status=422)
    if not dry_run:
        return on_done(result)
    context.update(
        preview=result,
        filename=filename,
        content=base64.b64encode(content).decode("ascii"),
        carry=form.carried(),
    )
    return render(request, template, context)
