"""Drafts of live content: changes to a published item that visitors do not see yet.

Staff who edit a published page (report, event, week) may save their changes as a draft
instead. The draft holds the item's own fields and many-to-many choices, serialized; the
live row is untouched until someone publishes the draft (an ordinary save of the form,
which then forgets the draft) or discards it. Staff preview a draft on the public site
with ``?draft``. One draft per item: saving a draft again replaces it.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models

from iecmh_site.publishing import can_preview, loaded_list_name

PREVIEW_PARAM = "draft"


class Draft(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    # {"fields": <Django's JSON serialization of the fields>, "m2m": {name: [pk, ...]}}
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "iecmh_site"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_draft_per_item")
        ]

    def __str__(self):
        return f"Draft of {self.content_type.model} {self.object_id}"


def draft_for(obj) -> Draft | None:
    if obj.pk is None:
        return None
    return (
        Draft.objects.select_related("author")
        .filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .first()
    )


def draft_save(*, obj, fields: list[str], m2m: dict[str, list], author) -> Draft:
    """Keep ``obj``'s unsaved changes (to ``fields``) and ``m2m`` choices as its draft.

    New uploads are stored now (under fresh random names), so the draft can refer to them.
    """
    for field in obj._meta.concrete_fields:
        if field.name in fields and isinstance(field, models.FileField):
            value = getattr(obj, field.attname)
            if value and not value._committed:
                value.save(value.name, value.file, save=False)
    serialized = serializers.serialize("json", [obj], fields=fields)
    data = {"fields": json.loads(serialized)[0]["fields"], "m2m": m2m}
    draft, _ = Draft.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults={"data": data, "author": author},
    )
    return draft


def draft_apply(obj, draft: Draft):
    """Put the draft's values on ``obj`` (in memory only) and return it.

    Many-to-many choices go into the prefetch cache, so templates reading ``obj.roles.all``
    show the draft's choices, in place of a list with_list() loaded (an event's role_list,
    a report's topic_list); forms read them from ``obj.draft_m2m``.
    """
    payload = json.dumps(
        [{"model": obj._meta.label_lower, "pk": obj.pk, "fields": draft.data["fields"]}]
    )
    stored = next(serializers.deserialize("json", payload, ignorenonexistent=True)).object
    for name in draft.data["fields"]:
        field = obj._meta.get_field(name)
        if field.concrete and not field.many_to_many:
            setattr(obj, field.attname, getattr(stored, field.attname))
    obj.draft_m2m = {}
    for name, pks in draft.data["m2m"].items():
        field = obj._meta.get_field(name)
        obj.draft_m2m[name] = pks
        cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[field.name] = field.related_model.objects.filter(pk__in=pks)
        obj.__dict__.pop(loaded_list_name(field.name), None)
    obj.draft = draft
    return obj


def draft_discard(obj) -> bool:
    """Forget the draft of ``obj``, and the files only the draft used."""
    draft = draft_for(obj)
    if draft is None:
        return False
    stored = type(obj).objects.get(pk=obj.pk)
    for name, value in draft.data["fields"].items():
        field = obj._meta.get_field(name)
        if isinstance(field, models.FileField) and value and value != getattr(stored, name).name:
            getattr(stored, name).storage.delete(value)
    draft.delete()
    return True


def draft_forget(obj) -> None:
    """The draft was published (its values were saved on the live row): drop it."""
    if obj.pk is not None:
        Draft.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).delete()


def preview(request, obj):
    """``obj`` with its draft applied when staff asked for ``?draft`` and may see it."""
    if PREVIEW_PARAM not in request.GET or not can_preview(request.user, type(obj)):
        return obj
    draft = draft_for(obj)
    return draft_apply(obj, draft) if draft else obj
