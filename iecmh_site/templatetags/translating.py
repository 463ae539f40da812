from django import template

from iecmh_site.translating import is_translated

register = template.Library()


@register.filter
def translated(obj) -> bool:
    """``{% if not page|translated %}``: the item has no text in the page's language yet."""
    return obj is None or is_translated(obj)
