from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import mark_safe

from iecmh_site import richtext as rich_text

register = template.Library()


@register.simple_tag(takes_context=True)
def richtext(context, html):
    """Print a rich text field: ``{% richtext page.body %}``, in place of ``|safe``.

    The field was sanitized when saved; here its stable links become current addresses (or
    plain words, when the reader may not see the target).
    """
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    # Safe: RichTextField sanitizes on every save; render() only renames headings, puts
    # escaped addresses in stable hrefs and unwraps links to what the reader may not see.
    return mark_safe(rich_text.render(html, user))
