"""One way to page a list and put on record what the page showed, for views and the API.

A list names what each row shows (`shown`: row -> the instances it shows, e.g. its person)
and one VIEW event is written per instance on the page actually returned, in one statement.
A list that shows no person names its `object_type` instead, for one event of the list; a
list that names both writes that one event only when its page shows no instance, so that a
search finding nothing is still on record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.paginator import Page, Paginator
from django.db import models
from ninja.pagination import CursorPagination

from hbm.audit.models import AuditEvent
from hbm.audit.services import Actor, audit_record, audit_record_many

if TYPE_CHECKING:
    from django.http import HttpRequest

PAGE_SIZE = 50

#: What a row shows: the instances to record as viewed.
Shown: TypeAlias = Callable[[Any], Iterable[models.Model]]


def record_shown(
    *,
    actor: Actor,
    rows: Iterable[Any],
    detail: str,
    shown: Shown | None = None,
    object_type: str = "",
) -> None:
    """Record a page of a list as viewed (see the module's docstring)."""
    targets = [target for row in rows for target in shown(row)] if shown else []
    if targets:
        audit_record_many(
            actor=actor, action=AuditEvent.Action.VIEW, targets=targets, detail=detail
        )
    elif object_type:
        audit_record(
            actor=actor, action=AuditEvent.Action.VIEW, object_type=object_type, detail=detail
        )


def page_shown(
    request: HttpRequest,
    rows: Sequence[Any] | models.QuerySet[Any],
    *,
    detail: str = "",
    shown: Shown | None = None,
    object_type: str = "",
    param: str = "page",
    per_page: int = PAGE_SIZE,
) -> Page[Any]:
    """The page of `rows` asked by `request.GET[param]`, recorded as viewed when the list
    says what it shows (`shown` or `object_type`); a list of no one's data names neither."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    if shown or object_type:
        record_shown(
            actor=request.user,
            rows=page.object_list,
            detail=detail,
            shown=shown,
            object_type=object_type,
        )
    return page


class ShownPagination(CursorPagination):
    """The API's cursor pages, each recorded as viewed like a view's page:
    `@paginate(ShownPagination, ordering=..., shown=..., object_type=..., detail=...)`, where
    `detail` is a text, or a function of the rows the handler returned and its keyword
    arguments (its filters)."""

    def __init__(
        self,
        *,
        detail: str | Callable[..., str] = "",
        shown: Shown | None = None,
        object_type: str = "",
        **kwargs: Any,
    ) -> None:
        self.detail = detail
        self.shown = shown
        self.object_type = object_type
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        result = self.paginate_rows(queryset, pagination, request, **params)
        detail = self.detail if isinstance(self.detail, str) else self.detail(queryset, **params)
        record_shown(
            actor=request.user,
            rows=result[self.items_attribute],
            detail=detail,
            shown=self.shown,
            object_type=self.object_type,
        )
        return result

    def paginate_rows(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        """The page itself: a subclass that pages other rows overrides this."""
        return super().paginate_queryset(queryset, pagination, request, **params)
