from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from iecmh_site.vocabulary import Role
from newsletter import csvio, imports, services
from newsletter.forms import ImportForm
from newsletter.models import ListImport, Subscriber, Suppression, address_digest

PREVIEW_ROWS_PER_PAGE = 200


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
        "language",
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
        (None, {"fields": ["email", "status", "name", "organization", "language"]}),
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
        outcomes = dict.fromkeys(services.Queued, 0)
        skipped = 0
        for subscriber in queryset:
            if subscriber.status != Subscriber.Status.PENDING:
                skipped += 1
            else:
                outcomes[services.confirmation_enqueue(subscriber=subscriber)] += 1
        self.message_user(
            request,
            f"Confirmation email queued for {outcomes[services.Queued.QUEUED]}.",
            messages.SUCCESS,
        )
        if already := outcomes[services.Queued.ALREADY]:
            minutes = services.CONFIRMATION_REQUEUE_AFTER.seconds // 60
            self.message_user(
                request,
                f"{already} already on its way (queued less than {minutes} minutes ago): "
                "not sent again.",
                messages.WARNING,
            )
        if skipped:
            self.message_user(
                request,
                f"{skipped} skipped: only people waiting for confirmation get one.",
                messages.WARNING,
            )
        if limited := outcomes[services.Queued.LIMITED]:
            self.message_user(
                request,
                f"{limited} not sent: their mailbox already had "
                f"{settings.NEWSLETTER_MAILS_PER_MAILBOX} confirmation emails today.",
                messages.WARNING,
            )

    @admin.action(description="Unsubscribe", permissions=["change"])
    def unsubscribe(self, request, queryset):
        count = already = 0
        for subscriber in queryset:
            if services.subscriber_unsubscribe(subscriber=subscriber):
                count += 1
            else:
                already += 1
        self.message_user(request, f"{count} unsubscribed.", messages.SUCCESS)
        if already:
            self.message_user(request, f"{already} had already left.", messages.INFO)

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
                "import/<int:pk>/",
                self.admin_site.admin_view(self.import_preview_view),
                name="newsletter_subscriber_import_preview",
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

    def _import_context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}

    def import_view(self, request):
        """Upload step: the file, where it comes from, and the consent statement. The file is
        kept as soon as it passes its own check; a job reads it once the form is complete."""
        if not request.user.has_perm("newsletter.add_subscriber"):
            raise PermissionDenied
        kept = None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES, user=request.user)
            complete = form.is_valid()
            kept = form.cleaned_data.get("kept")
            if form.cleaned_data.get("csv_file"):
                kept = services.list_import_upload(
                    csv_file=form.cleaned_data["csv_file"], uploaded_by=request.user
                )
            if complete and kept is not None:
                services.list_import_submit(
                    list_import=kept, source_label=form.cleaned_data["source_label"]
                )
                return redirect("admin:newsletter_subscriber_import_preview", pk=kept.pk)
        else:
            form = ImportForm(user=request.user)
        context = self._import_context(
            request,
            title="Import a mailing list from CSV",
            form=form,
            kept=kept,
            example_columns=",".join(csvio.COLUMNS),
            interests=[label for _key, label in Subscriber.INTERESTS],
            roles=[*Role.objects.order_by("order", "name").values_list("name", flat=True)],
            other_role=csvio.OTHER_ROLE,
            confirmed_words=[
                word for word, status in csvio.STATUS_WORDS.items() if status == csvio.CONFIRMED
            ],
            left_words=[
                word for word, status in csvio.STATUS_WORDS.items() if status in csvio.LEFT
            ],
            recent=ListImport.objects.exclude(state=ListImport.State.DRAFT)
            .select_related("uploaded_by")
            .defer("preview", "columns")[:10],
        )
        return TemplateResponse(request, "newsletter/admin/import.html", context)

    def import_preview_view(self, request, pk):
        """What each row will do, the one button that imports them, and what was done."""
        if not request.user.has_perm("newsletter.add_subscriber"):
            raise PermissionDenied
        list_import = get_object_or_404(
            ListImport.objects.exclude(state=ListImport.State.DRAFT), pk=pk
        )
        if request.method == "POST":
            if request.POST.get("action") == "discard":
                services.list_import_discard(list_import=list_import)
                self.message_user(request, "The file and its preview were deleted.")
                return redirect("admin:newsletter_subscriber_import")
            if services.list_import_apply_request(list_import=list_import):
                self.message_user(request, "The import has started.", messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    "This import was already started: it runs only once.",
                    messages.WARNING,
                )
            return redirect("admin:newsletter_subscriber_import_preview", pk=pk)
        counts = list_import.result or list_import.counts
        outcome = request.GET.get("outcome", "")
        rows = list_import.preview
        if outcome in imports.OUTCOMES:
            rows = [row for row in rows if row["outcome"] == outcome]
        else:
            outcome = ""
        page = Paginator(rows, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
        for row in page:
            row["label"] = imports.OUTCOMES[row["outcome"]]
        context = self._import_context(
            request,
            title=f"Import of {list_import.original_name}",
            list_import=list_import,
            columns_used=[
                (header, field.replace("_", " "))
                for header, field in list_import.columns.get("used", [])
            ],
            counts=[(key, label, counts.get(key, 0)) for key, label in imports.OUTCOMES.items()],
            to_import=sum(list_import.counts.get(key, 0) for key in imports.ACTIONS),
            outcome=outcome,
            outcome_label=imports.OUTCOMES.get(outcome, ""),
            page=page,
        )
        return TemplateResponse(request, "newsletter/admin/import_preview.html", context)


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """The do-not-import list: fingerprints only. Search by typing a whole address."""

    list_display = ["digest_start", "reason", "suppressed_at"]
    list_filter = ["reason", ("suppressed_at", admin.DateFieldListFilter)]
    search_fields = ["digest"]
    search_help_text = "Type a whole email address to see whether it is on this list."

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Only the person's own confirmation of a new signup lifts a suppression.
        return False

    @admin.display(description="fingerprint")
    def digest_start(self, obj):
        return f"{obj.digest[:12]}…"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(digest=address_digest(search_term)), False
