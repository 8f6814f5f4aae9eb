"""Page links for screens that page several lists at once, each on its own query parameter:
the built-in ``querystring`` tag takes parameter names literally, this one takes it as a value."""

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context: template.Context, param: str, number: int) -> str:
    """The request's query string with ``param`` set to ``number``, the rest kept as it is."""
    return querystring(context, None, **{param: number})
