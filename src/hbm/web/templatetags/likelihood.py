"""A match probability as a person reads it: "< 1 %" rather than a rounded "0 %"."""

from django import template

register = template.Library()


@register.filter
def likelihood(probability: float) -> str:
    """``0.004`` → ``"< 1%"``, ``0.996`` → ``"> 99%"``, ``0.42`` → ``"42%"``."""
    percent = probability * 100
    if 0 < percent < 1:
        return "< 1%"
    if 99 < percent < 100:
        return "> 99%"
    return f"{round(percent)}%"
