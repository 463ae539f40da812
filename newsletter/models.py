"""Mailing-list subscribers: who asked for what, when they consented, and whether they confirmed."""

import hashlib

from django.db import models
from django.db.models.functions import Lower

from iecmh_site.fields import LineField
from iecmh_site.vocabulary import Role


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

    # (field name, label) of the three topics a subscriber can choose.
    INTERESTS = [
        ("wants_trainings", "Trainings and events"),
        ("wants_celebrate_babies_week", "Celebrate Babies Week"),
        ("wants_reports", "Reports and policy"),
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
    consent_text = models.TextField(help_text="The statement the person agreed to.")
    consent_at = models.DateTimeField("consent given", null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the last confirmation email left; empty if it could not be sent.",
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
        return hashlib.sha256(self.email.lower().encode()).hexdigest()[:16]

    @property
    def interest_labels(self) -> list[str]:
        return [label for field, label in self.INTERESTS if getattr(self, field)]

    @property
    def interest_keys(self) -> list[str]:
        return [field for field, _label in self.INTERESTS if getattr(self, field)]
