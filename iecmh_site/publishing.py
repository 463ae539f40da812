"""The one publishing rule, shared by pages, reports, events and Celebrate Babies Weeks.

An item is a draft until it has a publication date; from that moment on visitors see it
(a date in the future schedules it). Staff who may view the model preview drafts and
scheduled items on the public site, under a banner that says so.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


def loaded_list_name(relation: str) -> str:
    """Where with_list(relation) leaves each row's related rows (and a draft's preview,
    drafts.draft_apply, takes them away so that its own choices show)."""
    return f"loaded_{relation}"


def can_preview(user, model) -> bool:
    """Staff who may view ``model`` in the admin also see its drafts on the site."""
    if not (user.is_authenticated and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publish_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(publish_at__gt=timezone.now())

    def drafts(self):
        return self.filter(publish_at=None)

    def visible_to(self, user):
        """Everything for staff who may preview it; published items for everyone else."""
        return self.all() if can_preview(user, self.model) else self.published()

    def with_list(self, relation: str):
        """Each row's ``relation`` (a many-to-many) as a plain list, read by
        Publishable.related_list(). Not prefetch_related(relation): the queryset that would
        keep them refers back to its row, a reference cycle per row that holds its memory
        until the garbage collector's next full pass, many requests later (3 MiB a render of
        the week's 400 activities at 20x data)."""
        return self.prefetch_related(Prefetch(relation, to_attr=loaded_list_name(relation)))

    def in_full(self, picked):
        """The rows ``picked`` chooses (this queryset's ``values("pk")``, filtered and cut to a
        page), read in full, in one query: the database sorts and cuts the narrow rows, which
        an index holds, and reads whole rows only for those kept. Sorting thousands of whole
        events (their texts in both languages) to keep twenty took 25 ms for the events list
        at 20x data on PostgreSQL; this way, 4 ms.

        This queryset must be in the same order as ``picked``, down to a tie-break on pk (the
        rows come back in this one's order), and ``picked`` must not repeat a row. LIMIT in an
        IN subquery works on SQLite and PostgreSQL, not on MySQL."""
        return self.filter(pk__in=picked)


class Publishable(models.Model):
    publish_at = models.DateTimeField(
        _("publish from"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Empty: a draft that only staff can see. A date and time: visitors see it "
            "from then on (a date in the future schedules it)."
        ),
    )
    is_sample = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_(
            "Invented for the demo: marked “Sample” wherever it shows, and never put in a "
            "citation or in data for search engines. Replace it (or untick this) before launch."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Unpublished changes (iecmh_site.drafts); deleted with the item.
    drafts = GenericRelation("iecmh_site.Draft")

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def related_list(self, relation: str) -> list:
        """The rows of ``relation``: as with_list() loaded them, so a list costs no query per
        row; else from the database."""
        try:
            return getattr(self, loaded_list_name(relation))
        except AttributeError:
            return list(getattr(self, relation).all())

    @property
    def publication_state(self) -> PublicationState:
        if self.publish_at is None:
            return PublicationState.DRAFT
        if self.publish_at > timezone.now():
            return PublicationState.SCHEDULED
        return PublicationState.PUBLISHED

    @property
    def is_published(self) -> bool:
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.publication_state == PublicationState.DRAFT

    @property
    def is_scheduled(self) -> bool:
        return self.publication_state == PublicationState.SCHEDULED

    def get_admin_url(self) -> str:
        opts = self._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.pk])
