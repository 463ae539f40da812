from django import template
from js_asset import Media

register = template.Library()


@register.filter
def with_csp_nonce(media, request):
    """Render form media (the rich-text editor's import map included) with the CSP nonce."""
    nonce = getattr(request, "csp_nonce", "")
    return Media.from_media(media, nonce=str(nonce)) if nonce else media
