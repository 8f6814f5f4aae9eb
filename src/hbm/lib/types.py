"""Type aliases shared by the apps."""

from typing import TYPE_CHECKING, TypeAlias

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    #: A label: plain text or a lazy translation (``gettext_lazy``), rendered when shown.
    StrOrPromise: TypeAlias = _StrOrPromise
else:
    StrOrPromise = str | Promise
