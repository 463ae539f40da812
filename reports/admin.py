from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from modeltranslation.admin import TranslationAdmin

from iecmh_site.admin import PublicationStateFilter, PublishableAdmin
from iecmh_site.cache import invalidate
from reports.forms import ReportAdminForm
from reports.models import Author, Organization, Report, ReportAuthor, ReportOrganization, Topic
from reports.services import report_save


class AccessibilityFilter(admin.SimpleListFilter):
    title = "PDF accessibility"
    parameter_name = "accessible"

    def lookups(self, request, model_admin):
        return [("yes", "Passes the check"), ("no", "Needs attention"), ("none", "No PDF")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(pdf="").filter(pdf_accessible=True)
        if self.value() == "no":
            return queryset.exclude(pdf="").filter(pdf_accessible=False)
        if self.value() == "none":
            return queryset.filter(Q(pdf="") | Q(pdf__isnull=True))
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Report.objects.dates("publication_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(publication_date__year=int(self.value()))
        return queryset


class ReportAuthorInline(admin.TabularInline):
    model = ReportAuthor
    extra = 1
    autocomplete_fields = ["author"]


class ReportOrganizationInline(admin.TabularInline):
    model = ReportOrganization
    extra = 1
    autocomplete_fields = ["organization"]


def _cover_img(report, width: int):
    cover = report.cover_picture
    if cover is None:
        return None
    height = round(width * cover.height / cover.width)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}px" alt="" width="{}" height="{}">',
        cover.src,
        cover.srcset,
        width,
        width,
        height,
    )


@admin.register(Report)
class ReportAdmin(PublishableAdmin):
    form = ReportAdminForm
    list_display = [
        "thumbnail",
        "title",
        "publication",
        "publication_date",
        "featured",
        "download_count",
        "accessibility",
    ]
    list_display_links = ["thumbnail", "title"]
    list_filter = [
        PublicationStateFilter,
        "topics",
        YearFilter,
        "featured",
        "partner",
        AccessibilityFilter,
    ]
    search_fields = ["title", "subtitle", "summary", "slug"]
    date_hierarchy = "publication_date"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics", "roles"]
    inlines = [ReportAuthorInline, ReportOrganizationInline]
    actions = [*PublishableAdmin.actions, "check_files_again"]
    # What the background check found in the PDF, shown beside it.
    pdf_facts = [
        "files",
        "accessibility_report",
        "pdf_pages",
        "pdf_size_display",
        "pdf_language",
        "pdf_title",
    ]
    readonly_fields = [*pdf_facts, "cover_preview", "download_count", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "summary", "key_findings"]}),
        (
            "Publication",
            {"fields": ["publish_at", "publication_date", "featured", "partner", "is_sample"]},
        ),
        (
            "PDF and cover",
            {"fields": ["pdf", *pdf_facts, "cover", "cover_preview"]},
        ),
        ("Who it is for", {"fields": ["topics", "roles"]}),
        ("Statistics", {"fields": ["download_count", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Cover")
    def thumbnail(self, report):
        return _cover_img(report, 60) or "—"

    @admin.display(description="Cover preview")
    def cover_preview(self, report):
        image = _cover_img(report, 150)
        if image is None:
            return "No cover yet: one is made from the PDF's first page when a PDF is uploaded."
        note = " (made from the PDF's first page)" if report.cover_generated else ""
        return format_html(
            "{}<br>{}x{} pixels{}", image, report.cover_width, report.cover_height, note
        )

    @admin.display(description="Files")
    def files(self, report):
        return report.files_state or ("Checked." if report.pdf or report.cover else "—")

    @admin.action(description="Check the selected reports' files again", permissions=["change"])
    def check_files_again(self, request, queryset):
        from reports.tasks import report_files_process_job

        count = 0
        for report in queryset.exclude(pdf="", cover=""):
            # Claimed with a conditional UPDATE: a double click queues one check, not two.
            # The last edit moves: the report's card, kept under it, no longer shows the cover.
            claimed = Report.objects.filter(pk=report.pk, files_ready=True).update(
                files_ready=False, files_problem="", updated_at=timezone.now()
            )
            if claimed:
                invalidate()  # update() sends no signals
                report_files_process_job.enqueue(report.pk, bool(report.pdf), bool(report.cover))
                count += 1
        self.message_user(request, f"The files of {count} report(s) will be checked again.")

    @admin.display(description="Size")
    def pdf_size_display(self, report):
        return report.pdf_size_display if report.pdf else "—"

    @admin.display(description="PDF accessibility", boolean=False, ordering="pdf_accessible")
    def accessibility(self, report):
        if not report.pdf:
            return "No PDF"
        if report.pdf_accessible:
            return "✔ Passes"
        return format_html("<strong>{}</strong>", "⚠ Needs attention")

    @admin.display(description="Accessibility check")
    def accessibility_report(self, report):
        if not report.pdf:
            return "Upload a PDF to check it."
        problems = report.pdf_accessibility_problems
        if not problems:
            return "Passes: tagged, with a language and a document title."
        return format_html(
            "<strong>⚠ This PDF needs attention:</strong><ul>{}</ul>"
            "Export it again as a tagged (accessible) PDF with its language and title set.",
            format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A file problem is said at the top; the accessibility check has its own field.
        if request.method == "GET":
            report = self.get_object(request, object_id)
            if report and report.files_problem:
                messages.error(request, report.files_problem)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_changes(self, request, obj, *, changed, stored):
        report_save(report=obj, pdf_changed="pdf" in changed, cover_changed="cover" in changed)


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "url"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_names"]
    search_fields = ["family_name", "given_names"]
