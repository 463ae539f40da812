from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iecmh_site.admin import PublicationStateFilter, PublishableAdmin
from pages.forms import PageAdminForm
from pages.models import Page
from pages.services import page_save


class NeedsReviewFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("needed", _("Needs review (past its review date)"))]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            return queryset.needs_review()
        return queryset


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    form = PageAdminForm
    list_display = [
        "title",
        "path_display",
        "publication",
        "parent",
        "show_in_navigation",
        "navigation_order",
        "review_by",
    ]
    list_editable = ["navigation_order"]
    list_filter = [
        PublicationStateFilter,
        NeedsReviewFilter,
        "show_in_navigation",
        "show_on_home",
        "partner",
    ]
    list_select_related = ["parent"]
    search_fields = ["title", "summary", "body", "path"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["path_display", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "path_display", "summary", "body"]}),
        (_("Picture"), {"fields": ["hero_image", "hero_alt", "hero_decorative", "hero_credit"]}),
        (_("Publishing"), {"fields": ["publish_at", "review_by", "partner", "is_sample"]}),
        (
            _("Navigation and contact"),
            {
                "fields": [
                    "show_in_navigation",
                    "show_on_home",
                    "navigation_order",
                    "show_contact_details",
                ]
            },
        ),
        (
            _("Search engines"),
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("address"), ordering="path")
    def path_display(self, page):
        return page.get_absolute_url() if page.pk else gettext("(set when saved)")

    def save_changes(self, request, obj, *, changed, stored):
        previous_path = stored.path if stored else None
        page_save(page=obj, previous_path=previous_path, hero_changed="hero_image" in changed)
        if previous_path and previous_path != obj.path:
            messages.info(
                request,
                gettext("The old address /{old}/ now redirects to {new}.").format(
                    old=previous_path, new=obj.get_absolute_url()
                ),
            )
