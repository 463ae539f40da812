"""Admin for the shared vocabulary, and what every publishable model's admin shares."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from iecmh_site.cache import invalidate
from iecmh_site.publishing import PublicationState
from iecmh_site.vocabulary import Role


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


class PublishableAdmin(admin.ModelAdmin):
    """Publication column, filter and bulk actions, the same for every publishable model."""

    actions = ["publish_now", "unpublish"]

    @admin.display(description="publication", ordering="publish_at")
    def publication(self, obj):
        state = obj.publication_state
        if state == PublicationState.SCHEDULED:
            local = timezone.localtime(obj.publish_at)
            return format_html("Scheduled for {}", f"{local:%b} {local.day}, {local:%Y}")
        return state.label

    @admin.action(description="Publish the selected items now", permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = queryset.exclude(publish_at__lte=now).update(publish_at=now, updated_at=now)
        invalidate()  # update() sends no save signals
        self.message_user(request, f"Published {count} item(s).", messages.SUCCESS)

    @admin.action(description="Unpublish the selected items (drafts again)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = queryset.exclude(publish_at=None).update(publish_at=None, updated_at=timezone.now())
        invalidate()
        self.message_user(request, f"{count} item(s) are now drafts.", messages.SUCCESS)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
