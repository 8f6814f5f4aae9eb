"""Offset pages for the API whose offset a database can hold.

django-ninja's own input lets any non-negative integer through, and an offset past a
64-bit integer is an error in the database, a 500; here it is a 422 on `offset`.
"""

from __future__ import annotations

from ninja import Field
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class BoundedPageInput(LimitOffsetPagination.Input):
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
