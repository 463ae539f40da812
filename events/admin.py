from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from events.forms import CampaignAdminForm, CampaignFileForm, EventAdminForm
from events.models import Campaign, CampaignFile, Event, EventMaterial
from events.services import campaign_checks, campaign_copy_to_next_year, campaign_file_save
from iecmh_site import revisions
from iecmh_site.admin import PublicationStateFilter, PublishableAdmin
from iecmh_site.tasks import hero_picture_save


class WhenFilter(admin.SimpleListFilter):
    """Upcoming events first: the list opens on them (a search looks through all events)."""

    title = _("when")
    parameter_name = "when"

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get("q"))
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [
            ("upcoming", gettext("Upcoming")),
            ("past", gettext("Past")),
            ("all", gettext("All")),
        ]

    def value(self):
        return super().value() or ("all" if self.searching else "upcoming")

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(end__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(end__lt=timezone.now()).order_by("-start")
        return queryset


class EventMaterialInline(TranslationTabularInline):
    """Recordings, slides and handouts, as links; visitors see them once the event is over."""

    model = EventMaterial
    fields = ["kind", "title", "url", "order"]
    extra = 0


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    form = EventAdminForm
    list_display = ["title", "when", "kind", "format", "event_status", "publication", "campaign"]
    list_filter = [
        WhenFilter,
        "kind",
        "campaign",
        "event_status",
        PublicationStateFilter,
        "format",
        "roles",
        "partner",
    ]
    list_select_related = ["campaign"]
    date_hierarchy = "start"
    search_fields = ["title", "summary", "venue_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["campaign"]
    readonly_fields = ["sequence", "updated_at"]
    save_on_top = True
    inlines = [EventMaterialInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "campaign", "summary", "description"]}),
        (
            _("When (Massachusetts time)"),
            {"fields": ["start", "end", "all_day"]},
        ),
        (
            _("Where"),
            {
                "fields": ["format", "venue_name", "venue_address", "joining_url"],
                "description": _(
                    "In-person and hybrid events need a venue; online and hybrid "
                    "events need a joining link or a registration link."
                ),
            },
        ),
        (_("Registration and cost"), {"fields": ["registration_url", "price", "cost_note"]}),
        (_("Audience"), {"fields": ["roles", "partner"]}),
        (_("For trainings"), {"fields": ["training_hours", "competencies"]}),
        (_("Status"), {"fields": ["event_status", "status_note", "publish_at", "is_sample"]}),
        (_("Calendar"), {"fields": ["sequence", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("When"), ordering="start")
    def when(self, obj):
        return obj.when


class EventInline(admin.TabularInline):
    """Read-only list of the week's activities; each is edited on its own page."""

    model = Event
    fields = ["title", "start", "kind", "format", "event_status", "publish_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    ordering = ["start"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # View-only: the week's form never validates (or saves) its activities' rows.
        return False


class CampaignFileInline(TranslationTabularInline):
    model = CampaignFile
    form = CampaignFileForm
    extra = 1
    readonly_fields = ["state"]

    @admin.display(description=_("check"))
    def state(self, item):
        if item.problem:
            return item.problem
        if item.file and not item.ready:
            return gettext("Being checked: visitors see it in a moment.")
        return gettext("Checked.") if item.ready else "—"


@admin.register(Campaign)
class CampaignAdmin(PublishableAdmin):
    form = CampaignAdminForm
    list_display = ["name", "year", "start_date", "end_date", "publication"]
    list_filter = [PublicationStateFilter]
    search_fields = ["name", "theme"]
    inlines = [CampaignFileInline, EventInline]
    actions = [*PublishableAdmin.actions, "copy_to_next_year"]
    readonly_fields = ["checks"]
    fieldsets = [
        (None, {"fields": ["name", "year", "start_date", "end_date", "publish_at", "is_sample"]}),
        (_("Content"), {"fields": ["theme", "summary", "description", "how_to_join"]}),
        (_("Picture"), {"fields": ["hero_image", "hero_alt", "hero_decorative", "hero_credit"]}),
        (_("Call to action"), {"fields": ["call_to_action_text", "call_to_action_url"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and campaign_checks(campaign=obj):
            fieldsets = [(gettext("Before publishing, check"), {"fields": ["checks"]}), *fieldsets]
        return fieldsets

    @admin.display(description=_("To check"))
    def checks(self, campaign):
        return format_html(
            '<ul class="check-list">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {}</li>',
                ((c.admin_url, c.where, c.what) for c in campaign_checks(campaign=campaign)),
            ),
        )

    def save_changes(self, request, obj, *, changed, stored):
        hero_picture_save(obj, changed="hero_image" in changed)

    def save_formset(self, request, form, formset, change):
        if formset.model is not CampaignFile:
            return super().save_formset(request, form, formset, change)
        new_files = {id(f.instance) for f in formset.forms if "file" in f.changed_data}
        for item in formset.save(commit=False):
            campaign_file_save(item=item, changed=id(item) in new_files)
        for item in formset.deleted_objects:
            item.delete()
        formset.save_m2m()

    @admin.action(description=_("Copy to next year (as drafts, same weekdays)"))
    def copy_to_next_year(self, request, queryset):
        for campaign in queryset:
            comment = gettext("Copied from %(name)s.") % {"name": campaign.name}
            try:
                with revisions.revision(user=request.user, comment=comment):
                    copy = campaign_copy_to_next_year(campaign=campaign)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                continue
            to_check = len(campaign_checks(campaign=copy))
            self.message_user(
                request,
                format_html(
                    gettext(
                        '{} was copied to <a href="{}">{}</a> ({} to {}), as a draft with its '
                        "activities. {} place(s) to check are listed on its page."
                    ),
                    campaign.name,
                    copy.get_admin_url(),
                    copy.name,
                    f"{copy.start_date:%A %B} {copy.start_date.day}",
                    f"{copy.end_date:%A %B} {copy.end_date.day}, {copy.end_date.year}",
                    to_check,
                ),
                messages.SUCCESS,
            )
            if copy.end_date < timezone.localdate():
                self.message_user(
                    request,
                    gettext(
                        "%(name)s’s dates have already passed: check that you copied the "
                        "right week."
                    )
                    % {"name": copy.name},
                    messages.WARNING,
                )
