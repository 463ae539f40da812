from django.contrib import admin, messages
from django.utils import timezone

from iecmh_site.cache import invalidate
from pages.forms import PageAdminForm
from pages.models import Page, Role, Status
from pages.services import page_save


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("needed", "Needs review (past its review date)")]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            return queryset.needs_review()
        return queryset


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageAdminForm
    list_display = [
        "title",
        "path_display",
        "status",
        "publish_at",
        "parent",
        "show_in_navigation",
        "navigation_order",
        "review_by",
    ]
    list_editable = ["navigation_order"]
    list_filter = ["status", NeedsReviewFilter, "show_in_navigation", "show_on_home", "partner"]
    list_select_related = ["parent"]
    search_fields = ["title", "summary", "body", "path"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    date_hierarchy = "publish_at"
    actions = ["publish", "unpublish"]
    readonly_fields = ["path_display", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "path_display", "summary", "body"]}),
        ("Picture", {"fields": ["hero_image", "hero_alt"]}),
        (
            "Publishing",
            {"fields": ["status", "publish_at", "review_by", "partner"]},
        ),
        ("Navigation", {"fields": ["show_in_navigation", "show_on_home", "navigation_order"]}),
        (
            "Search engines",
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="address", ordering="path")
    def path_display(self, page):
        return page.get_absolute_url() if page.pk else "(set when saved)"

    def save_model(self, request, obj, form, change):
        previous_path = None
        if change:
            previous_path = Page.objects.filter(pk=obj.pk).values_list("path", flat=True).first()
        page_save(
            page=obj, previous_path=previous_path, hero_changed="hero_image" in form.changed_data
        )
        if previous_path and previous_path != obj.path:
            messages.info(
                request,
                f"The old address /{previous_path}/ now redirects to {obj.get_absolute_url()}.",
            )

    @admin.action(description="Publish selected pages now")
    def publish(self, request, queryset):
        now = timezone.now()
        drafts = queryset.exclude(status=Status.PUBLISHED, publish_at__lte=now)
        count = drafts.update(status=Status.PUBLISHED, publish_at=now, updated_at=now)
        invalidate()  # update() sends no save signals
        self.message_user(request, f"Published {count} page(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected pages (back to draft)")
    def unpublish(self, request, queryset):
        count = queryset.update(status=Status.DRAFT, updated_at=timezone.now())
        invalidate()  # update() sends no save signals
        self.message_user(request, f"{count} page(s) are now drafts.", messages.SUCCESS)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
