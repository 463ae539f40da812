"""Mailing-list subscribers: who asked for what, when they consented, and whether they confirmed;
the addresses no import may bring back; and the lists staff import."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iecmh_site.fields import LineField
from iecmh_site.storage import RandomName, private_storage
from iecmh_site.vocabulary import Role


def address_digest(email: str) -> str:
    """The one fingerprint of an address: SHA-256 of it trimmed and lower-cased.

    Links carry its first 16 characters (Subscriber.email_digest); the suppression list keeps
    all of it, so an erased address can be recognised without being stored.
    """
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class SubscriberQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Subscriber.Status.PENDING)

    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def unsubscribed(self):
        return self.filter(status=Subscriber.Status.UNSUBSCRIBED)

    def with_email(self, email: str):
        # Same expression as the unique constraint, so the lookup uses its index.
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower())

    def status_counts(self) -> dict[str, int]:
        """Number of subscribers per status in one query, every status present."""
        rows = self.order_by().values_list("status").annotate(n=models.Count("pk"))
        counts = dict.fromkeys(Subscriber.Status.values, 0)
        counts.update(dict(rows))
        return counts


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    class Source(models.TextChoices):
        FOOTER = "footer", "Footer form (then the signup page)"
        SIGNUP_PAGE = "signup-page", "Signup page"
        IMPORT = "import", "CSV import"

    # (field name, label) of the three topics a subscriber can choose; the labels are shown
    # in the subscriber's language, but exported and imported in English (interest_labels).
    INTERESTS = [
        ("wants_trainings", _("Trainings and events")),
        ("wants_celebrate_babies_week", _("Celebrate Babies Week")),
        ("wants_reports", _("Reports and policy")),
    ]

    email = models.EmailField(max_length=254)
    name = LineField(max_length=200, blank=True)
    organization = LineField(max_length=200, blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="subscribers")
    role_other = models.BooleanField("other role", default=False)
    wants_trainings = models.BooleanField("trainings and events", default=False)
    wants_celebrate_babies_week = models.BooleanField("Celebrate Babies Week", default=False)
    wants_reports = models.BooleanField("reports and policy", default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # The language of the page they signed up on: their emails, and the pages those link to.
    language = models.CharField(
        max_length=7,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language of their emails and of the pages the emails link to.",
    )
    consent_text = models.TextField(help_text="The statement the person agreed to.")
    consent_at = models.DateTimeField("consent given", null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the last confirmation email left; empty if it could not be sent.",
    )
    confirmation_queued_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a confirmation email was last queued: a second one waits a few minutes.",
    )
    source = models.CharField(max_length=12, choices=Source.choices)
    source_detail = models.CharField(
        max_length=300, blank=True, help_text="For imports: which list, who imported it, when."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletter_subscriber_email_ci_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="newsletter_status_created"),
            models.Index(fields=["-created_at"], name="newsletter_created"),
            models.Index(fields=["source"], name="newsletter_source"),
        ]

    def __str__(self):
        return self.email

    @property
    def email_digest(self) -> str:
        """A short fingerprint of the address, so a link dies if the row is erased and reused."""
        return address_digest(self.email)[:16]

    @property
    def interest_labels(self) -> list[str]:
        """The chosen topics in the active language."""
        return [str(label) for field, label in self.INTERESTS if getattr(self, field)]

    @property
    def interest_keys(self) -> list[str]:
        return [field for field, _label in self.INTERESTS if getattr(self, field)]


class SuppressionQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(digest=address_digest(email))


class Suppression(models.Model):
    """An address that left or was erased, kept only as its fingerprint (address_digest).

    No import brings such an address back. Keeping the fingerprint is what honours an
    erasure: without it, the next old spreadsheet would put the person back on the list.
    Only the person's own confirmation of a new signup lifts it (subscription_confirm).
    """

    class Reason(models.TextChoices):
        ERASED = "erased", "Erased at their request"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced or cleaned in another mailing tool"

    digest = models.CharField(max_length=64, unique=True, editable=False)
    reason = models.CharField(max_length=12, choices=Reason.choices, editable=False)
    suppressed_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        ordering = ["-suppressed_at"]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.digest[:12]}…)"


class ListImportQuerySet(models.QuerySet):
    def drafts_of(self, user):
        return self.filter(state=ListImport.State.DRAFT, uploaded_by=user)


class ListImport(models.Model):
    """One upload of another tool's export: its file until imported, the preview of what each
    row will do, and what was done. Jobs read the file and do the import, never the request."""

    class State(models.TextChoices):
        DRAFT = "draft", "File kept; details missing"
        CHECKING = "checking", "Reading the file"
        READY = "ready", "Preview ready"
        FAILED = "failed", "File could not be read"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        DISCARDED = "discarded", "Discarded"

    file = models.FileField(
        storage=private_storage, upload_to=RandomName("newsletter/imports"), blank=True
    )
    original_name = models.CharField(max_length=255)
    source_label = models.CharField(max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    problem = models.TextField(blank=True, help_text="Why the file could not be read.")
    encoding = models.CharField(max_length=20, blank=True)
    columns = models.JSONField(
        default=dict, blank=True, help_text="Which column of the file was read as what."
    )
    preview = models.JSONField(default=list, blank=True, help_text="What each row will do.")
    counts = models.JSONField(default=dict, blank=True, help_text="Rows per outcome.")
    result = models.JSONField(default=dict, blank=True, help_text="What the import did.")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ListImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_state_display()})"

    @property
    def busy(self) -> bool:
        """A job is still working on it."""
        return self.state in {self.State.CHECKING, self.State.IMPORTING}
