"""Events (Celebrate Babies Week activities, trainings, webinars...) and the yearly campaign."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iecmh_site import dates
from iecmh_site.fields import HttpsURLField, LineField
from iecmh_site.images import HeroPicture
from iecmh_site.publishing import Publishable, PublishableQuerySet
from iecmh_site.revisions import versioned
from iecmh_site.richtext import RichTextField
from iecmh_site.slugs import address_is_free, unique_slug
from iecmh_site.vocabulary import ROLES, Partner, Role

# Massachusetts time: every date and time a visitor reads is shown in this zone, labelled.
LOCAL_TZ = dates.MASSACHUSETTS


class CampaignQuerySet(PublishableQuerySet):
    def current_or_next(self) -> "Campaign | None":
        """The published week on now or coming next; once all are past, the latest one."""
        on_or_coming = Q(end_date__gte=timezone.localdate())
        return (
            self.published()
            .order_by(
                Case(When(on_or_coming, then=Value(0)), default=Value(1)),
                # the soonest of the coming weeks; else the latest of the past ones
                Case(When(on_or_coming, then=F("start_date"))),
                F("start_date").desc(),
            )
            .first()
        )


@versioned()
class Campaign(HeroPicture, Publishable):
    """One year's Celebrate Babies Week: its theme, agenda (its events) and toolkit."""

    name = LineField(max_length=200, help_text=_("For example: Celebrate Babies Week 2025."))
    year = models.PositiveSmallIntegerField(unique=True)
    start_date = models.DateField(help_text=_("The first day of the week (usually a Monday)."))
    end_date = models.DateField(help_text=_("The last day of the week (usually a Friday)."))
    theme = LineField(max_length=300, blank=True)
    summary = LineField(
        max_length=300, blank=True, help_text=_("One or two sentences for listings and search.")
    )
    description = RichTextField(blank=True)
    how_to_join = RichTextField(
        blank=True, help_text=_("How people and organizations can take part.")
    )
    call_to_action_text = LineField(max_length=100, blank=True)
    call_to_action_url = HttpsURLField(blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:cbw-year", kwargs={"year": self.year})

    def clean(self):
        errors = {}
        try:
            super().clean()  # the picture needs its description
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = gettext("The last day must be on or after the first day.")
        if (
            self.start_date
            and self.year
            and self.start_date.year != self.year
            and "start_date" not in errors
        ):
            errors["year"] = gettext("The year must match the year of the first day.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return self.end_date < timezone.localdate()

    @property
    def days(self) -> list[date]:
        return [
            self.start_date + timedelta(days=n)
            for n in range((self.end_date - self.start_date).days + 1)
        ]


class CampaignFile(models.Model):
    """A downloadable toolkit item: a proclamation, a flyer, social-media pictures..."""

    class Kind(models.TextChoices):
        PROCLAMATION = "proclamation", _("Proclamation")
        SOCIAL = "social", _("Social-media asset")
        FLYER = "flyer", _("Flyer or poster")
        GUIDE = "guide", _("Guide")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="files")
    title = LineField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(
        upload_to="events/toolkit/", help_text=_("A PDF, or a JPEG, PNG or WebP picture.")
    )
    size = models.PositiveBigIntegerField(default=0, editable=False)
    order = models.PositiveSmallIntegerField(default=0)
    # A background job checks a new file; visitors see it once it passed.
    ready = models.BooleanField(default=False, editable=False)
    problem = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


class Competency(models.TextChoices):
    """Competency areas of the IECMH Endorsement® competency guidelines."""

    THEORETICAL_FOUNDATIONS = "theoretical-foundations", _("Theoretical foundations")
    LAW_REGULATION_POLICY = "law-regulation-policy", _("Law, regulation and agency policy")
    SYSTEMS_EXPERTISE = "systems-expertise", _("Systems expertise")
    DIRECT_SERVICE = "direct-service", _("Direct service skills")
    WORKING_WITH_OTHERS = "working-with-others", _("Working with others")
    COMMUNICATING = "communicating", _("Communicating")
    THINKING = "thinking", _("Thinking")
    REFLECTION = "reflection", _("Reflection")


class EventQuerySet(PublishableQuerySet):
    def upcoming(self):
        """Not yet over (so an event in progress still counts), soonest first."""
        return self.filter(end__gte=timezone.now()).order_by("start", "pk")

    def past(self):
        return self.filter(end__lt=timezone.now()).order_by("-start", "-pk")

    def trainings(self):
        """Professional development: trainings, webinars and conferences."""
        return self.filter(kind__in=Event.PROFESSIONAL_DEVELOPMENT_KINDS)

    def with_related(self):
        """Everything the list, card and detail templates read."""
        return self.select_related("campaign").with_role_list()

    def with_role_list(self):
        """Each event's roles as a plain list, read by Event.role_list."""
        return self.with_list("roles")

    def with_materials(self):
        """The recordings and slides the page of a past event links to."""
        return self.prefetch_related("materials")


class EventStatus(models.TextChoices):
    """Whether an event takes place as announced (schema.org's eventStatus)."""

    GOING_AHEAD = "going-ahead", _("Going ahead")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


@versioned(follow=["materials"])
class Event(Publishable):
    class Kind(models.TextChoices):
        CBW = "cbw", _("Celebrate Babies Week activity")
        TRAINING = "training", _("Training")
        WEBINAR = "webinar", _("Webinar")
        CONFERENCE = "conference", _("Conference")
        COMMUNITY = "community", _("Community event")

    class Format(models.TextChoices):
        IN_PERSON = "in-person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (in person and online)")

    PROFESSIONAL_DEVELOPMENT_KINDS = [Kind.TRAINING, Kind.WEBINAR, Kind.CONFERENCE]
    # The addresses an event's slug goes into: /events/<slug>/ and /events/<slug>.ics.
    SLUG_URL_NAMES = ["events:detail", "events:ics"]
    # A change to any of these is a change calendar clients must pick up (SEQUENCE).
    SEQUENCE_FIELDS = [
        "all_day",
        "description",
        "end",
        "event_status",
        "format",
        "joining_url",
        "registration_url",
        "start",
        "summary",
        "title",
        "venue_address",
        "venue_name",
    ]

    title = LineField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, blank=True, help_text=_("Made from the title when left empty.")
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("For Celebrate Babies Week activities: the week they belong to."),
    )
    summary = LineField(
        max_length=300, help_text=_("One or two sentences for listings, search and calendars.")
    )
    description = RichTextField(blank=True)
    start = models.DateTimeField(help_text=_("Massachusetts time."))
    end = models.DateTimeField(help_text=_("Massachusetts time."))
    all_day = models.BooleanField(
        default=False, help_text=_("Shown as whole days; the times are ignored.")
    )
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue_name = LineField(max_length=200, blank=True)
    venue_address = LineField(max_length=300, blank=True)
    joining_url = HttpsURLField(
        _("joining link"),
        blank=True,
        help_text=_("For online events: the meeting link, unless it is sent on registration."),
    )
    registration_url = HttpsURLField(
        _("registration link"), blank=True, help_text=_('Leave empty for "no registration needed".')
    )
    price = models.DecimalField(
        max_digits=8, decimal_places=2, default=0, help_text=_("In US dollars; 0 means free.")
    )
    cost_note = LineField(
        max_length=200, blank=True, help_text=_("For example: sliding scale, members free.")
    )
    roles = models.ManyToManyField(
        Role, blank=True, related_name="events", verbose_name=_("for these roles")
    )
    event_status = models.CharField(
        _("status"),
        max_length=12,
        choices=EventStatus.choices,
        default=EventStatus.GOING_AHEAD,
        db_index=True,
    )
    status_note = LineField(
        max_length=300, blank=True, help_text=_("Shown with a cancelled or postponed event.")
    )
    partner = models.CharField(max_length=10, choices=Partner.choices, default=Partner.BOTH)
    training_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Training hours it counts for, if any."),
    )
    competencies = models.JSONField(
        _("Endorsement® competency areas"),
        default=list,
        blank=True,
        help_text=_("The competency areas it counts toward, if any."),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["publish_at", "end", "start"]),
            # Covers what the lists sort and cut (PublishableQuerySet.in_full): the range of
            # ends (upcoming or past), then start, publish_at, kind and id, so a page is picked
            # without reading the table (not with ?format=, which is not in it).
            models.Index(fields=["end", "start", "publish_at", "kind", "id"]),
            models.Index(fields=["kind", "start"]),
            models.Index(fields=["format"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="event_end_after_start",
                violation_error_message=_("The end must be after the start."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title, url_names=self.SLUG_URL_NAMES)
        if self.pk and self._sequence_fields_changed():
            self.sequence += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
        self._loaded = {name: getattr(self, name) for name in self.SEQUENCE_FIELDS}

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def get_ics_url(self):
        return reverse("events:ics", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = {
            name: getattr(instance, name)
            for name in cls.SEQUENCE_FIELDS
            if name in instance.__dict__
        }
        return instance

    def clean(self):
        errors = {}
        if self.slug and not all(
            address_is_free(name, slug=self.slug) for name in self.SLUG_URL_NAMES
        ):
            errors["slug"] = gettext("This address is used by the events pages. Choose another.")
        if self.start and self.end:
            if self.all_day:
                if self.end.astimezone(LOCAL_TZ).date() < self.start.astimezone(LOCAL_TZ).date():
                    errors["end"] = gettext("The last day must be on or after the first day.")
            elif self.end <= self.start:
                errors["end"] = gettext("The end must be after the start.")
        # An event that is over, or cancelled, needs no way in.
        is_over = self.end is not None and self.end < timezone.now()
        if (
            self.format in (self.Format.ONLINE, self.Format.HYBRID)
            and not (self.joining_url or self.registration_url)
            and not is_over
            and self.event_status != EventStatus.CANCELLED
        ):
            errors["joining_url"] = gettext(
                "An online event needs a joining link, or a registration link that sends it."
            )
        if self.format in (self.Format.IN_PERSON, self.Format.HYBRID) and not self.venue_name:
            errors["venue_name"] = gettext("An in-person event needs a venue.")
        if self.competencies:
            unknown = set(self.competencies) - set(Competency.values)
            if unknown:
                errors["competencies"] = gettext("Unknown competency areas: %(areas)s.") % {
                    "areas": ", ".join(sorted(unknown))
                }
        if errors:
            raise ValidationError(errors)

    def _sequence_fields_changed(self) -> bool:
        loaded = getattr(self, "_loaded", None)
        if loaded is None or len(loaded) < len(self.SEQUENCE_FIELDS):
            loaded = type(self).objects.filter(pk=self.pk).values(*self.SEQUENCE_FIELDS).first()
            if loaded is None:
                return False
        return any(getattr(self, name) != loaded[name] for name in self.SEQUENCE_FIELDS)

    # Display, always in Massachusetts time with the zone named.

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(LOCAL_TZ)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(LOCAL_TZ)

    @property
    def time_zone_label(self) -> str:
        return self.local_start.tzname()

    @property
    def when(self) -> str:
        """For example "Wednesday, October 22, 2025, 10 a.m. to 11 a.m. EDT"."""
        return dates.when(self.start, self.end, all_day=self.all_day)

    @property
    def local_date(self) -> date:
        return self.local_start.date()

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def is_free(self) -> bool:
        return not self.price

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.event_status == EventStatus.CANCELLED

    @property
    def is_postponed(self) -> bool:
        return self.event_status == EventStatus.POSTPONED

    @property
    def is_going_ahead(self) -> bool:
        return self.event_status == EventStatus.GOING_AHEAD

    @property
    def is_joinable(self) -> bool:
        """Whether visitors are still invited: register, join, add it to their calendar."""
        return not self.is_past and not self.is_cancelled

    @property
    def role_list(self) -> list[Role]:
        """Its roles, as with_related() loaded them (else from the database)."""
        return self.related_list("roles")

    @property
    def role_labels(self) -> list[str]:
        """The labels of its roles, in the visitor's language: what its card draws of them,
        so the key its card is kept under."""
        return [role.label for role in self.role_list]

    @property
    def for_all_roles(self) -> bool:
        """For each of the five roles: shown as "All roles" rather than five names."""
        return len(self.role_list) >= len(ROLES)

    @property
    def location_text(self) -> str:
        parts = []
        if self.is_in_person:
            parts.append(", ".join(p for p in (self.venue_name, self.venue_address) if p))
        if self.is_online:
            parts.append(gettext("Online"))
        return "; ".join(parts)

    def competency_labels(self) -> list[str]:
        labels = dict(Competency.choices)
        return [str(labels[c]) for c in self.competencies if c in labels]


@versioned()
class EventMaterial(models.Model):
    """What a past event leaves behind (a recording, slides...): a link, never an upload."""

    class Kind(models.TextChoices):
        RECORDING = "recording", _("Recording")
        SLIDES = "slides", _("Slides")
        HANDOUT = "handout", _("Handout")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECORDING)
    title = LineField(max_length=200, help_text=_("For example: Recording of the panel."))
    url = HttpsURLField(
        _("link"),
        max_length=500,
        validators=[URLValidator(schemes=["https"], message=_("Enter an https:// address."))],
        help_text=_(
            "The https:// address where it is kept (a video site, a shared folder...). "
            "A link only: files cannot be uploaded here. Visitors see it once the event is over."
        ),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("material")

    def __str__(self):
        # The history's comparison shows rows by this: a changed link shows too.
        return f"{self.title} ({self.url})"
