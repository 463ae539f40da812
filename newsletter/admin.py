from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from iecmh_site.vocabulary import Role
from newsletter import csvio, services
from newsletter.forms import ImportForm
from newsletter.models import Subscriber


class ConfirmationSentFilter(admin.SimpleListFilter):
    title = "confirmation email"
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("sent", "Sent"), ("not-sent", "Not sent (mail failed): resend")]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(confirmation_sent_at__isnull=False)
        if self.value() == "not-sent":
            return queryset.filter(status=Subscriber.Status.PENDING, confirmation_sent_at=None)
        return queryset


def _csv_response(queryset, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark so spreadsheet programs read the file as UTF-8.
    response.write("\ufeff")
    csvio.write_csv(queryset, response)
    return response


# Written only by the person's own signup and confirmation, or by a CSV import.
CONSENT_RECORD_FIELDS = [
    "consent_text",
    "consent_at",
    "confirmation_sent_at",
    "confirmed_at",
    "unsubscribed_at",
    "source",
    "source_detail",
    "created_at",
    "updated_at",
]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    change_list_template = "newsletter/admin/subscriber_change_list.html"
    list_display = [
        "email",
        "name",
        "status",
        "role_list",
        "interest_list",
        "source",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "confirmation_sent_at",
    ]
    list_filter = [
        "status",
        ConfirmationSentFilter,
        "source",
        "roles",
        "role_other",
        "wants_trainings",
        "wants_celebrate_babies_week",
        "wants_reports",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["email", "name", "organization"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["email", "status", "name", "organization"]}),
        (
            "Role and topics",
            {
                "fields": [
                    "roles",
                    "role_other",
                    "wants_trainings",
                    "wants_celebrate_babies_week",
                    "wants_reports",
                ]
            },
        ),
        (
            "Consent record",
            {
                "description": (
                    "Set by the person's own signup and confirmation, or by a CSV import; "
                    "it cannot be edited."
                ),
                "fields": CONSENT_RECORD_FIELDS,
            },
        ),
    ]
    readonly_fields = ["email", "status", *CONSENT_RECORD_FIELDS]
    actions = ["export_csv", "resend_confirmation", "unsubscribe", "erase"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("order", "name")))
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        # "Erase completely" replaces the generic delete, which would keep the address in the log.
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        # People join by confirming themselves; staff bring lists in through the recorded import.
        return False

    @admin.display(description="roles")
    def role_list(self, obj):
        names = [role.name for role in obj.roles.all()] + (["Other"] if obj.role_other else [])
        return ", ".join(names)

    @admin.display(description="interests")
    def interest_list(self, obj):
        return ", ".join(obj.interest_labels)

    # ---- deletion means erasure ----
    def delete_model(self, request, obj):
        services.subscriber_erase(subscribers=Subscriber.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.subscriber_erase(subscribers=queryset)

    def log_deletions(self, request, queryset):
        # The log entry would keep the erased address; erasure leaves no trace by design.
        return []

    # ---- actions ----
    @admin.action(description="Export selected to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        stamp = timezone.localdate().isoformat()
        return _csv_response(queryset, filename=f"mailing-list-selected-{stamp}.csv")

    @admin.action(description="Resend the confirmation email", permissions=["change"])
    def resend_confirmation(self, request, queryset):
        queued = limited = skipped = 0
        for subscriber in queryset:
            if subscriber.status != Subscriber.Status.PENDING:
                skipped += 1
            elif services.confirmation_enqueue(subscriber=subscriber):
                queued += 1
            else:
                limited += 1
        self.message_user(request, f"Confirmation email queued for {queued}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} skipped: only people waiting for confirmation get one.",
                messages.WARNING,
            )
        if limited:
            self.message_user(
                request,
                f"{limited} not sent: their mailbox already had "
                f"{settings.NEWSLETTER_MAILS_PER_MAILBOX} confirmation emails today.",
                messages.WARNING,
            )

    @admin.action(description="Unsubscribe", permissions=["change"])
    def unsubscribe(self, request, queryset):
        count = 0
        for subscriber in queryset.exclude(status=Subscriber.Status.UNSUBSCRIBED):
            services.subscriber_unsubscribe(subscriber=subscriber)
            count += 1
        self.message_user(request, f"{count} unsubscribed.", messages.SUCCESS)

    @admin.action(description="Erase completely (cannot be undone)", permissions=["delete"])
    def erase(self, request, queryset):
        if request.POST.get("confirm-erase") == "yes":
            count = services.subscriber_erase(subscribers=queryset)
            self.message_user(request, f"{count} erased completely.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Erase these people completely?",
            "subscribers": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "newsletter/admin/erase_confirm.html", context)

    # ---- counts, import, export of everyone confirmed ----
    def changelist_view(self, request, extra_context=None):
        counts = Subscriber.objects.status_counts()
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (label, counts[value], value) for value, label in Subscriber.Status.choices
            ],
            "can_import": request.user.has_perm("newsletter.add_subscriber"),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="newsletter_subscriber_import",
            ),
            path(
                "export-confirmed/",
                self.admin_site.admin_view(self.export_confirmed_view),
                name="newsletter_subscriber_export_confirmed",
            ),
            *super().get_urls(),
        ]

    def export_confirmed_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        stamp = timezone.localdate().isoformat()
        return _csv_response(
            self.get_queryset(request).confirmed().order_by("email"),
            filename=f"mailing-list-confirmed-{stamp}.csv",
        )

    def import_view(self, request):
        if not request.user.has_perm("newsletter.add_subscriber"):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                report = services.subscribers_import(
                    csv_file=form.cleaned_data["csv_file"],
                    source_label=form.cleaned_data["source_label"],
                    imported_by=request.user.get_username(),
                )
                if not report.rejected:
                    self.message_user(
                        request, f"Imported {report.created} people.", messages.SUCCESS
                    )
                    return redirect(reverse("admin:newsletter_subscriber_changelist"))
        else:
            form = ImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a mailing list from CSV",
            "form": form,
            "report": report,
            "example_columns": ",".join(csvio.COLUMNS),
        }
        return TemplateResponse(request, "newsletter/admin/import.html", context)
