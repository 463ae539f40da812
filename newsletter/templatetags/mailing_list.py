"""The mailing list's words for templates outside the newsletter pages (the site footer)."""

from django import template

from newsletter.forms import CONSENT_TEXT

register = template.Library()


@register.simple_tag
def consent_text() -> str:
    """What a person agrees to by signing up: shown wherever a signup can be sent."""
    return CONSENT_TEXT
