"""Rich text edited with the admin's WYSIWYG editor and stored sanitized by an allow-list."""

from django_prose_editor.fields import ProseEditorField

# What staff can format; the server-side nh3 allow-list is derived from this same set, so
# anything the editor cannot produce (script, event handlers, style) is stripped on save.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
}


class RichTextField(ProseEditorField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EXTENSIONS)
        kwargs.setdefault("sanitize", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        # Sanitize on every save, not only through forms: demo data, imports and the shell
        # must not be able to store script either.
        value = self.sanitize(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
