"""Admin for the shared vocabulary, and what every publishable model's admin shares:
publication (column, filter, actions), history (revisions, comparison, restore), drafts of
live items, errors that are always shown and date hints."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin
from reversion import is_registered, set_comment
from reversion.errors import RevertError

from iecmh_site import revisions
from iecmh_site.cache import invalidate
from iecmh_site.drafts import PREVIEW_PARAM, draft_apply, draft_discard, draft_for, draft_forget
from iecmh_site.drafts import draft_save as draft_store
from iecmh_site.forms import HeroPictureForm, date_time_hint, with_form_wide_errors
from iecmh_site.identity import PartnerLogo, SiteSettings, SocialLink
from iecmh_site.publishing import PublicationState
from iecmh_site.tasks import hero_picture_save
from iecmh_site.translating import field_label, translated_fields
from iecmh_site.vocabulary import Role

SAVE_DRAFT = "_save_draft"
DISCARD_DRAFT = "_discard_draft"


def when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%b} {local.day}, {local:%Y} at {local:%I:%M %p}".replace("at 0", "at ")


class PublicationStateFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return PublicationState.choices

    def queryset(self, request, queryset):
        states = {
            PublicationState.DRAFT: queryset.drafts,
            PublicationState.SCHEDULED: queryset.scheduled,
            PublicationState.PUBLISHED: queryset.published,
        }
        select = states.get(self.value())
        return select() if select else queryset


class TranslationStateFilter(admin.SimpleListFilter):
    """Lists what still needs its Spanish text (its title, name or theme in Spanish)."""

    title = "Spanish translation"
    parameter_name = "spanish"

    def lookups(self, request, model_admin):
        return [("missing", "Needs a Spanish translation"), ("done", "Translated into Spanish")]

    def queryset(self, request, queryset):
        fields = translated_fields(queryset.model)
        if not fields or self.value() not in ("missing", "done"):
            return queryset
        spanish = f"{fields[0]}_es"
        missing = models.Q(**{f"{spanish}__isnull": True}) | models.Q(**{spanish: ""})
        return queryset.filter(missing) if self.value() == "missing" else queryset.exclude(missing)


class CompareForm(forms.Form):
    older = forms.IntegerField(min_value=1)
    newer = forms.IntegerField(min_value=1)


def _draft_guarded(formset_class):
    """Inline rows (a report's authors...) are saved directly, never kept in a draft."""

    class DraftGuardedFormSet(formset_class):
        form = with_form_wide_errors(formset_class.form)

        def clean(self):
            super().clean()
            if SAVE_DRAFT in self.data and self.has_changed():
                raise ValidationError(
                    "Changes to %(rows)s cannot be kept in a draft. Undo them to save a "
                    "draft, or save them with Save (visitors then see every change).",
                    params={"rows": self.model._meta.verbose_name_plural},
                )

    return DraftGuardedFormSet


class PublishableAdmin(TranslationAdmin):
    """Shared by pages, reports, events and weeks.

    Each translated field is edited as its English and Spanish fields side by side
    (django-modeltranslation); drafts and revisions hold both languages.

    Subclasses save through ``save_changes`` (the one place their services are called), so
    an ordinary save, a published draft and a restored revision take the same path.
    """

    actions = ["publish_now", "unpublish"]
    change_form_template = "admin/publishable/change_form.html"
    object_history_template = "admin/publishable/history.html"

    # ---- saving: one path for forms, drafts and restores ----

    def save_changes(self, request, obj, *, changed: set[str], stored) -> None:
        """Save ``obj``; ``changed`` names the fields that differ from ``stored`` (the row as
        it was, None when adding)."""
        obj.save()

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else None
        if self._saving_draft(request, stored):
            m2m = {
                name: [item.pk for item in form.cleaned_data[name]]
                for name in form.cleaned_data
                if self._is_many_to_many(name)
            }
            fields = [name for name in form.cleaned_data if self._is_own_field(name)]
            request.saved_draft = draft_store(obj=obj, fields=fields, m2m=m2m, author=request.user)
            return
        changed = set(form.changed_data)
        if stored is not None:
            changed |= {
                field.name
                for field in obj._meta.concrete_fields
                if field.value_from_object(stored) != field.value_from_object(obj)
            }
        self.save_changes(request, obj, changed=changed, stored=stored)
        draft_forget(obj)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "saved_draft", None) is None:
            super().save_related(request, form, formsets, change)

    def _saving_draft(self, request, stored) -> bool:
        return SAVE_DRAFT in request.POST and stored is not None and stored.is_published

    def _is_many_to_many(self, name) -> bool:
        try:
            return self.model._meta.get_field(name).many_to_many
        except FieldDoesNotExist:
            return False

    def _is_own_field(self, name) -> bool:
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return field.concrete and not field.many_to_many

    # ---- the change form: drafts, revisions, errors, hints ----

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and getattr(request, "editing", False):
            draft = draft_for(obj)
            if draft is not None:
                draft_apply(obj, draft)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = with_form_wide_errors(super().get_form(request, obj, change=change, **kwargs))
        m2m = getattr(obj, "draft_m2m", None)
        if not m2m:
            return form_class

        class DraftForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(m2m)

        return DraftForm

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield _draft_guarded(formset), inline

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and hasattr(db_field, "translated_field"):
            formfield.label = field_label(db_field)  # "Title", "Title in Spanish"
            formfield.widget.attrs["lang"] = db_field.language  # spellchecked in its language
        hint = date_time_hint(db_field)
        if formfield is not None and hint:
            formfield.help_text = f"{formfield.help_text} {hint}".strip()
        return formfield

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and DISCARD_DRAFT in request.POST and object_id:
            return self._discard_draft(request, object_id)
        request.editing = True
        with revisions.revision(user=request.user, comment=""):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Edits made in the list (the order of navigation pages, say) are revisions too.
        with revisions.revision(user=request.user, comment="Changed in the list."):
            return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        draft = getattr(obj, "draft", None)
        live = type(obj).objects.filter(pk=obj.pk).first() if obj and obj.pk else None
        context.update(
            draft=draft,
            draft_saved=when(draft.saved_at) if draft else "",
            can_save_draft=bool(live and live.is_published),
            preview_url=self._preview_url(live) if draft else "",
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        set_comment(entry.get_change_message() or "Added.")
        return entry

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "saved_draft", None) is not None:
            formsets = []  # a draft saves no inline rows (changed ones are refused)
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "saved_draft", None) is not None:
            return None  # the live item did not change
        entry = super().log_change(request, obj, message)
        set_comment(entry.get_change_message() or "Saved with no changes.")
        return entry

    def response_add(self, request, obj, post_url_continue=None):
        self._publication_message(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "saved_draft", None) is not None:
            preview = self._preview_url(type(obj).objects.get(pk=obj.pk))
            self.message_user(
                request,
                format_html(
                    "Draft saved. Visitors still see the published version. "
                    '<a href="{}">Preview the draft</a>, and publish it with Save when it is '
                    "ready.",
                    preview,
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        self._publication_message(request, obj)
        return super().response_change(request, obj)

    def _preview_url(self, live) -> str:
        """The public address of the published item (a draft may change its slug), asking
        for the draft."""
        return f"{live.get_absolute_url()}?{PREVIEW_PARAM}"

    def _publication_message(self, request, obj) -> None:
        state = obj.publication_state
        if state == PublicationState.DRAFT:
            text = (
                "This is a draft: visitors will not see it until you set “publish from” or "
                "use the list's “Publish the selected items now”."
            )
            self.message_user(request, text, messages.WARNING)
        elif state == PublicationState.SCHEDULED:
            text = f"Scheduled: visitors will see it from {when(obj.publish_at)}."
            self.message_user(request, text, messages.INFO)

    def _discard_draft(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        if draft_discard(obj):
            self.message_user(request, "The draft was discarded.", messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    # ---- history: revisions, comparison, restore ----

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def history_fields(self, request, obj) -> list[str]:
        """The fields staff edit: those a comparison shows and a restore brings back (a
        translated field in each of its languages)."""
        translated = set(translated_fields(self.model))
        names = []
        for name in self.get_fields(request, obj):
            if name in translated:
                names += [f"{name}_{code}" for code, _ in settings.LANGUAGES]
                continue
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and field.editable:
                names.append(name)
        return names

    def history_inlines(self) -> list[tuple]:
        """(label, model, foreign key name) of the inline rows kept with each revision."""
        found = []
        for inline in self.inlines:
            if not is_registered(inline.model):
                continue
            fk = next(
                field
                for field in inline.model._meta.get_fields()
                if isinstance(field, models.ForeignKey) and field.related_model is self.model
            )
            label = str(inline.verbose_name_plural or inline.model._meta.verbose_name_plural)
            found.append((label.capitalize(), inline.model, fk.name))
        return found

    def _history_url(self, obj) -> str:
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[quote(obj.pk)]
        )

    def _history_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj, None

    def history_view(self, request, object_id, extra_context=None):
        obj, missing = self._history_object(request, object_id)
        if missing:
            return missing
        versions = list(revisions.versions_of(obj)[:200])
        info = self.opts.app_label, self.opts.model_name
        rows = []
        for index, version in enumerate(versions):
            older = versions[index + 1] if index + 1 < len(versions) else None
            compare = reverse("admin:{}_{}_compare".format(*info), args=[quote(obj.pk)])
            rows.append(
                {
                    "version": version,
                    "when": when(version.revision.date_created),
                    "who": version.revision.user,
                    "what": version.revision.get_comment() or "Saved.",
                    "changes_url": f"{compare}?older={older.pk}&newer={version.pk}"
                    if older
                    else "",
                    "compare_now_url": f"{compare}?older={version.pk}&newer={versions[0].pk}"
                    if index
                    else "",
                    "restore_url": reverse(
                        "admin:{}_{}_restore".format(*info), args=[quote(obj.pk), version.pk]
                    )
                    if index
                    else "",
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "rows": rows,
            "draft": draft_for(obj),
            "can_restore": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        obj, missing = self._history_object(request, object_id)
        if missing:
            return missing
        form = CompareForm(request.GET)
        versions = revisions.versions_of(obj)
        found = {}
        if form.is_valid():
            found = {v.pk: v for v in versions.filter(pk__in=form.cleaned_data.values())}
        if len(found) != len(set(form.cleaned_data.values())) or not found:
            self.message_user(request, "Choose two versions from the history.", messages.ERROR)
            return HttpResponseRedirect(self._history_url(obj))
        older, newer = found[form.cleaned_data["older"]], found[form.cleaned_data["newer"]]
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        changes = revisions.compare(
            older,
            newer,
            fields=self.history_fields(request, obj),
            inlines=self.history_inlines(),
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Changes to {obj}",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "older": older,
            "newer": newer,
            "older_when": when(older.revision.date_created),
            "newer_when": when(newer.revision.date_created),
            "changes": changes,
            "history_url": self._history_url(obj),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/publishable/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        obj, missing = self._history_object(request, object_id)
        if missing:
            return missing
        if request.method != "POST":  # an old bookmark: only the History's button restores
            self.message_user(request, "Restore a version with its button below.", messages.INFO)
            return HttpResponseRedirect(self._history_url(obj))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        history_url = self._history_url(obj)
        version = revisions.versions_of(obj).filter(pk=version_id).first()
        if version is None:
            self.message_user(
                request, "That version is not in this item's history.", messages.ERROR
            )
            return HttpResponseRedirect(history_url)
        saved = when(version.revision.date_created)
        try:
            result = revisions.restored(
                obj,
                version,
                fields=self.history_fields(request, obj),
                inlines=self.history_inlines(),
            )
            result.item.full_clean()
            with transaction.atomic():
                comment = f"Restored the version saved {saved}."
                with revisions.revision(user=request.user, comment=comment):
                    stored = type(obj).objects.select_for_update().get(pk=obj.pk)
                    changed = {
                        field.name
                        for field in obj._meta.concrete_fields
                        if field.value_from_object(stored) != field.value_from_object(obj)
                    }
                    self.save_changes(request, result.item, changed=changed, stored=stored)
                    revisions.restore_related(result)
                    self.log_change(request, obj, comment)
        except (RevertError, IntegrityError) as exc:
            text = f"The version saved {saved} could not be restored: {exc}"
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(history_url)
        except ValidationError as exc:
            text = f"The version saved {saved} could not be restored: {' '.join(exc.messages)}"
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(history_url)
        self.message_user(request, f"Restored the version saved {saved}.", messages.SUCCESS)
        if result.files_kept:
            kept = ", ".join(result.files_kept)
            self.message_user(
                request,
                f"Files are not part of a restore: the current {kept} stayed. "
                "Upload the older file again if you need it.",
                messages.WARNING,
            )
        if draft_for(obj):
            self.message_user(
                request,
                "This item also has an unpublished draft, saved before the restore.",
                messages.WARNING,
            )
        return HttpResponseRedirect(obj.get_admin_url())

    # ---- publication from the list ----

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "is_sample", TranslationStateFilter]

    @admin.display(description="publication", ordering="publish_at")
    def publication(self, obj):
        state = obj.publication_state
        label = state.label
        if state == PublicationState.SCHEDULED:
            local = timezone.localtime(obj.publish_at)
            label = f"Scheduled for {local:%b} {local.day}, {local:%Y}"
        return format_html("{} · <strong>sample</strong>", label) if obj.is_sample else label

    def _publication_set(self, request, queryset, *, to, unless, comment) -> int:
        """Set publish_at on each item not already in the wanted state, one revision per
        item. Each item is claimed with a conditional UPDATE, so double clicks and parallel
        requests change (and record) it once."""
        count = 0
        model = queryset.model
        for obj in queryset.exclude(**unless):
            with revisions.revision(user=request.user, comment=comment):
                claimed = (
                    model.objects.filter(pk=obj.pk)
                    .exclude(**unless)
                    .update(publish_at=to, updated_at=timezone.now())
                )
                if claimed:
                    obj.refresh_from_db()
                    revisions.reversion.add_to_revision(obj)
                    self.log_change(request, obj, comment)
                    count += 1
        invalidate()  # update() sends no save signals
        return count

    @admin.action(description="Publish the selected items now", permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = self._publication_set(
            request,
            queryset,
            to=now,
            unless={"publish_at__lte": now},
            comment="Published from the list.",
        )
        self.message_user(request, f"Published {count} item(s).", messages.SUCCESS)

    @admin.action(description="Unpublish the selected items (drafts again)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = self._publication_set(
            request,
            queryset,
            to=None,
            unless={"publish_at": None},
            comment="Unpublished from the list.",
        )
        self.message_user(request, f"{count} item(s) are now drafts.", messages.SUCCESS)


LOGO_LABELS = {"hero_image": "logo", "hero_alt": "logo description"}


class LogoForm(HeroPictureForm, forms.ModelForm):
    class Meta:
        fields = ["hero_image", "hero_alt"]
        labels = LOGO_LABELS


class PartnerLogoInline(admin.TabularInline):
    model = PartnerLogo
    form = LogoForm
    fields = ["name", "url", "hero_image", "hero_alt", "order"]
    extra = 0


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    fields = ["network", "url", "order"]
    extra = 0


@admin.register(SiteSettings)
class SiteSettingsAdmin(TranslationAdmin):
    """One row: the list opens it; it can be changed, never added twice nor deleted."""

    form = LogoForm
    inlines = [PartnerLogoInline, SocialLinkInline]
    fieldsets = [
        (
            "Contact details",
            {"fields": ["contact_email", "phone", "address", "contact_note", "is_sample"]},
        ),
        ("Logo", {"fields": ["hero_image", "hero_alt"]}),
        ("Footer", {"fields": ["footer_text"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = SiteSettings.objects.first()
        if row is not None:
            return HttpResponseRedirect(
                reverse("admin:iecmh_site_sitesettings_change", args=[row.pk])
            )
        return HttpResponseRedirect(reverse("admin:iecmh_site_sitesettings_add"))

    def save_model(self, request, obj, form, change):
        hero_picture_save(obj, changed="hero_image" in form.changed_data)

    def save_formset(self, request, form, formset, change):
        if formset.model is not PartnerLogo:
            return super().save_formset(request, form, formset, change)
        changed = {id(f.instance) for f in formset.forms if "hero_image" in f.changed_data}
        for logo in formset.save(commit=False):
            hero_picture_save(logo, changed=id(logo) in changed)
        for logo in formset.deleted_objects:
            logo.delete()


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """The five roles of the mailing list, reports and events: renamed and reordered, never
    deleted (subscribers' and content's choices point at them)."""

    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False
