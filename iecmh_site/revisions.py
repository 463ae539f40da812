"""History of pages, reports, events and weeks, on django-reversion.

django-reversion (rather than django-simple-history) because it keeps an item together with
its inline rows (a report's authors and credits) and many-to-many choices in one revision,
adds no table per model, and has been maintained since Django 1.0. Its own revert is not
used: it writes rows raw, bypassing the services that keep addresses, redirects, caches and
file checks right. Restoring here copies the old values onto the live item and saves it the
ordinary way, so a restore is itself a revision and can be undone the same way.
"""

import difflib
import html
import re
from contextlib import contextmanager
from dataclasses import dataclass

import nh3
import reversion
from django.db import models
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from reversion.errors import RevertError
from reversion.models import Version

from iecmh_site.translating import field_label

# Bookkeeping that changes on every save; left out so that saving unchanged content adds
# no revision (ignore_duplicates compares the stored fields).
UNVERSIONED = ["created_at", "updated_at"]
# Never brought back by a restore: whether an item is public is decided with Publish and
# Unpublish, and files were processed and may since have been replaced.
NOT_RESTORED = {"publish_at"}


def versioned(*, follow=()):
    """Class decorator: keep a revision of the model at each save made in a revision."""
    return reversion.register(exclude=UNVERSIONED, follow=follow, ignore_duplicates=True)


def version_translations() -> None:
    """Register the translated models again once django-modeltranslation has added their
    Spanish and English fields, so that each revision holds both languages (reversion reads
    a model's fields when it is registered, before those fields exist)."""
    from modeltranslation.translator import translator
    from reversion.revisions import _get_options

    for model in translator.get_registered_models():
        if reversion.is_registered(model):
            options = _get_options(model)
            reversion.unregister(model)
            reversion.register(
                model,
                exclude=UNVERSIONED,
                follow=options.follow,
                ignore_duplicates=options.ignore_duplicates,
            )


@contextmanager
def revision(*, user, comment: str):
    """Every versioned save inside is recorded as one revision by ``user``."""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        yield


def versions_of(obj):
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


# ---- comparing two versions ----


@dataclass
class Change:
    label: str
    before: SafeString
    after: SafeString


def _words(text: str) -> list[str]:
    return re.findall(r"\S+|\s+", text)


def _diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, removed words in <del> on one side and added ones in <ins>."""
    old, new = _words(before), _words(after)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        removed, added = escape("".join(old[i1:i2])), escape("".join(new[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f'<del><span class="visually-hidden">Removed: </span>{removed}</del>')
        if added:
            right.append(f'<ins><span class="visually-hidden">Added: </span>{added}</ins>')
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (escaped above)


def _plain(markup: str) -> str:
    """Rich text as words: blocks on their own lines, no markup, no entities."""
    spaced = re.sub(r"</(p|h\d|li|blockquote)>|<br\s*/?>", "\n", markup)
    return html.unescape(nh3.clean(spaced, tags=set())).strip()


def _display(field, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(field, models.FileField):
        return "a file" if value else "—"
    if field.many_to_many:
        names = [str(item) for item in field.related_model.objects.filter(pk__in=value)]
        return ", ".join(sorted(names)) or "—"
    if isinstance(field, models.ForeignKey):
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else "(deleted)"
    if field.choices:
        labels = dict(field.flatchoices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DateTimeField):
        local = timezone.localtime(value)
        return f"{local:%b} {local.day}, {local:%Y}, {local:%I:%M %p}".replace(" 0", " ")
    if isinstance(field, models.DateField):
        return f"{value:%b} {value.day}, {value:%Y}"
    if isinstance(field, models.TextField) and "<" in str(value):
        return _plain(str(value))
    return str(value)


def _rows(version, related_model, fk_name: str) -> list[str]:
    """The inline rows (say, a report's authors) saved with ``version``, as text."""
    wanted = reversion.models._get_content_type(related_model, version.db)
    rows = []
    for other in version.revision.version_set.filter(content_type=wanted):
        row = other._object_version.object
        if getattr(row, f"{fk_name}_id") == int(version.object_id):
            rows.append(row)
    return [str(row) for row in sorted(rows, key=lambda row: (getattr(row, "order", 0), row.pk))]


def compare(older, newer, *, fields: list[str], inlines=()) -> list[Change]:
    """What changed from ``older`` to ``newer`` (two versions of one item), field by field.

    ``inlines``: (label, model, foreign key name) of rows kept with the item.
    """
    model = older._model
    changes = []
    try:
        before, after = older.field_dict, newer.field_dict
    except RevertError:
        return [Change("Whole item", mark_safe("Saved by an older version of the site"), "")]
    for name in fields:
        field = model._meta.get_field(name)
        old, new = before.get(field.attname), after.get(field.attname)
        if old == new:
            continue
        left, right = _diff(_display(field, old), _display(field, new))
        changes.append(Change(field_label(field), left, right))
    for label, related_model, fk_name in inlines:
        old_rows, new_rows = (
            _rows(older, related_model, fk_name),
            _rows(newer, related_model, fk_name),
        )
        if old_rows != new_rows:
            left, right = _diff("\n".join(old_rows) or "—", "\n".join(new_rows) or "—")
            changes.append(Change(label, left, right))
    return changes


# ---- restoring a version ----


@dataclass
class Restored:
    item: models.Model
    m2m: dict[str, list]
    inline_rows: list[tuple[models.Manager, list[models.Model]]]
    files_kept: list[str]


def restored(obj, version, *, fields: list[str], inlines=()) -> Restored:
    """``obj`` (the live item) with ``version``'s values, in memory: nothing is saved yet.

    Files stay as they are (``files_kept`` names those that differ), as does publication.
    Raises RevertError when the version cannot be read.
    """
    old = version._object_version
    files_kept = []
    m2m = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if name in NOT_RESTORED or not field.concrete:
            continue
        if field.many_to_many:
            m2m[name] = list(old.m2m_data.get(name, []))
        elif isinstance(field, models.FileField):
            if getattr(old.object, name).name != getattr(obj, name).name:
                files_kept.append(str(field.verbose_name))
        else:
            setattr(obj, field.attname, getattr(old.object, field.attname))
    inline_rows = []
    for _label, related_model, fk_name in inlines:
        wanted = reversion.models._get_content_type(related_model, version.db)
        rows = [
            other._object_version.object
            for other in version.revision.version_set.filter(content_type=wanted)
        ]
        rows = [row for row in rows if getattr(row, f"{fk_name}_id") == obj.pk]
        manager = related_model._default_manager.filter(**{fk_name: obj})
        inline_rows.append((manager, rows))
    return Restored(obj, m2m, inline_rows, files_kept)


def restore_related(restored: Restored) -> None:
    """Save the restored many-to-many choices and inline rows (after the item itself)."""
    for name, pks in restored.m2m.items():
        getattr(restored.item, name).set(pks)
    for manager, rows in restored.inline_rows:
        manager.exclude(pk__in=[row.pk for row in rows]).delete()
        for row in rows:
            row.save()


def describe(version) -> str:
    local = timezone.localtime(version.revision.date_created)
    who = version.revision.user.get_username() if version.revision.user else "the site"
    return format_html("{} {}, {} by {}", f"{local:%b}", local.day, f"{local:%Y %I:%M %p}", who)
