from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.forms import CampaignAdminForm, CampaignFileForm, EventAdminForm
from events.models import Campaign, CampaignFile, Event
from events.services import campaign_copy_to_next_year, campaign_file_save
from iecmh_site.admin import PublicationStateFilter, PublishableAdmin
from iecmh_site.tasks import hero_picture_save


class WhenFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past")]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(end__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(end__lt=timezone.now())
        return queryset


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
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "campaign", "summary", "description"]}),
        (
            "When (Massachusetts time)",
            {"fields": ["start", "end", "all_day"]},
        ),
        (
            "Where",
            {
                "fields": ["format", "venue_name", "venue_address", "joining_url"],
                "description": "In-person and hybrid events need a venue; online and hybrid "
                "events need a joining link or a registration link.",
            },
        ),
        ("Registration and cost", {"fields": ["registration_url", "price", "cost_note"]}),
        ("Audience", {"fields": ["roles", "partner"]}),
        ("For trainings", {"fields": ["training_hours", "competencies"]}),
        ("Status", {"fields": ["event_status", "status_note", "publish_at"]}),
        ("Calendar", {"fields": ["sequence", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="When", ordering="start")
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


class CampaignFileInline(admin.TabularInline):
    model = CampaignFile
    form = CampaignFileForm
    extra = 1
    readonly_fields = ["state"]

    @admin.display(description="check")
    def state(self, item):
        if item.problem:
            return item.problem
        if item.file and not item.ready:
            return "Being checked: visitors see it in a moment."
        return "Checked." if item.ready else "—"


@admin.register(Campaign)
class CampaignAdmin(PublishableAdmin):
    form = CampaignAdminForm
    list_display = ["name", "year", "start_date", "end_date", "publication"]
    list_filter = [PublicationStateFilter]
    search_fields = ["name", "theme"]
    inlines = [CampaignFileInline, EventInline]
    actions = [*PublishableAdmin.actions, "copy_to_next_year"]
    fieldsets = [
        (None, {"fields": ["name", "year", "start_date", "end_date", "publish_at"]}),
        ("Content", {"fields": ["theme", "summary", "description", "how_to_join"]}),
        ("Picture", {"fields": ["hero_image", "hero_alt"]}),
        ("Call to action", {"fields": ["call_to_action_text", "call_to_action_url"]}),
    ]

    def save_model(self, request, obj, form, change):
        hero_picture_save(obj, changed="hero_image" in form.changed_data)

    def save_formset(self, request, form, formset, change):
        if formset.model is not CampaignFile:
            return super().save_formset(request, form, formset, change)
        new_files = {id(f.instance) for f in formset.forms if "file" in f.changed_data}
        for item in formset.save(commit=False):
            campaign_file_save(item=item, changed=id(item) in new_files)
        for item in formset.deleted_objects:
            item.delete()
        formset.save_m2m()

    @admin.action(description="Copy to next year (as drafts, same weekdays)")
    def copy_to_next_year(self, request, queryset):
        for campaign in queryset:
            try:
                copy = campaign_copy_to_next_year(campaign=campaign)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{campaign.name} was copied to {copy.name} "
                    f"({copy.start_date:%A %d %B} to {copy.end_date:%A %d %B %Y}), as a draft "
                    "with its activities. Add their joining and registration links.",
                    messages.SUCCESS,
                )
