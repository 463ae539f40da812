from django import template
from js_asset import Media

register = template.Library()


@register.filter
def with_csp_nonce(media, request):
    """Render form media (the rich-text editor's import map included) with the CSP nonce."""
    # django-csp's lazy nonce is falsy until read, so read it as a string first.
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    return Media.from_media(media, nonce=nonce) if nonce else media
