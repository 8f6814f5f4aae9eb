"""The error a list's filters raise when one cannot be searched for."""

from django.core.exceptions import ValidationError


class InvalidFilters(ValidationError):
    """Filters of a list that cannot be searched for, by parameter name: the API answers 422
    with ``query.<name>`` paths, a web form shows each message beside its field."""
