"""Rich text edited with the admin's WYSIWYG editor, stored sanitized by an allow-list and
printed with its stable links resolved (iecmh_site.links)."""

import re

import nh3
from django.contrib.admin.widgets import AdminTextareaWidget
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.fields import ProseEditorField, ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget, ProseEditorWidget

from iecmh_site.links import resolve_stable_links

# The page title is the h1 and rich text sits under it or under an h2 section, so staff get
# the two levels the design styles as section and subsection headings.
HEADING_LEVELS = (2, 3)

# What staff can format; the server-side nh3 allow-list is derived from this same set, so
# anything the editor cannot produce (script, event handlers, style) is stripped on save.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": list(HEADING_LEVELS)},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    # django-prose-editor switches the browser's spellcheck off unless told not to.
    "NoSpellCheck": False,
}

# The editor module that adds the page/report/event picker to the link dialog and maps
# pasted headings to HEADING_LEVELS; django-prose-editor imports it before building the editor.
EDITOR_MODULE = "js/richtext.js"

_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")
# The editor always leaves one empty paragraph; an empty field must be falsy.
_EMPTY = re.compile(r"^<(?P<tag>\w+)></(?P=tag)>$")


def _allowed_level(level: int) -> int:
    return min(max(level, HEADING_LEVELS[0]), HEADING_LEVELS[-1])


def demote_headings(html: str) -> str:
    """h1 becomes h2 and h4-h6 become h3: a pasted heading keeps being a heading, at a level
    that fits under the page title. Expects nh3's output (headings without attributes)."""
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{_allowed_level(int(m[2]))}>", html)


def _make_cleaner() -> nh3.Cleaner:
    allowed = allowlist_from_extensions(EXTENSIONS)
    # Let every heading through nh3, which normalises it, then demote_headings() renames it.
    allowed["tags"] |= {f"h{level}" for level in range(1, 7)}
    return nh3.Cleaner(**allowed)


_cleaner = _make_cleaner()


def sanitize(html: str) -> str:
    html = demote_headings(_cleaner.clean(html))
    return "" if _EMPTY.match(html) else html


def render(html: str, user) -> str:
    """Stored rich text as visitors see it. Headings are demoted here too, for rows saved
    before the levels were narrowed."""
    return resolve_stable_links(demote_headings(html or ""), user)


class LinkPickerMixin:
    """Loads EDITOR_MODULE and tells the Link extension where to search for link targets."""

    def get_config(self):
        config = super().get_config()
        if "extensions" not in config:
            return config
        config["js_modules"] = [*config.get("js_modules", []), static(EDITOR_MODULE)]
        try:
            search_url = reverse("link-targets")
        except NoReverseMatch:  # a URLconf without the endpoint: a link dialog without picker
            return config
        link = config["extensions"].get("Link")
        if link:
            config["extensions"]["Link"] = {
                **(link if isinstance(link, dict) else {}),
                "searchUrl": search_url,
            }
        return config


class RichTextWidget(LinkPickerMixin, ProseEditorWidget):
    pass


class AdminRichTextWidget(LinkPickerMixin, AdminProseEditorWidget):
    pass


def _is(widget, widget_class) -> bool:
    if isinstance(widget, type):
        return issubclass(widget, widget_class)
    return isinstance(widget, widget_class)


class RichTextFormField(ProseEditorFormField):
    def __init__(self, *args, **kwargs):
        # The admin asks for its textarea (formfield_overrides for TextField), other forms
        # for a plain one: give them the editor with the picker.
        widget = kwargs.get("widget")
        if widget is not None and _is(widget, AdminTextareaWidget):
            kwargs["widget"] = AdminRichTextWidget
        elif widget is None or not _is(widget, ProseEditorWidget):
            kwargs["widget"] = RichTextWidget
        super().__init__(*args, **kwargs)


class RichTextField(ProseEditorField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EXTENSIONS)
        kwargs.setdefault("sanitize", sanitize)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})

    def pre_save(self, model_instance, add):
        # Sanitize on every save, not only through forms: demo data, imports and the shell
        # must not be able to store script either.
        value = self.sanitize(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
