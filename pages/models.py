from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iecmh_site.cache import generation_cached
from iecmh_site.fields import LineField, ProseField
from iecmh_site.images import HeroPicture
from iecmh_site.publishing import Publishable, PublishableQuerySet
from iecmh_site.revisions import versioned
from iecmh_site.richtext import RichTextField
from iecmh_site.vocabulary import Partner


def address_is_taken(slug: str) -> bool:
    """True when /<slug>/ or an address under it belongs to another part of the site."""
    if f"/{slug}/".startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    if slug in dict(settings.LANGUAGES):  # /es/ is the Spanish site
        return True
    for path in (f"/{slug}/", f"/{slug}/x/"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name != "pages:detail":
            return True
    return False


class PageQuerySet(PublishableQuerySet):
    def in_navigation(self):
        return self.filter(show_in_navigation=True).order_by("navigation_order", "title")

    def needs_review(self):
        return self.filter(review_by__lt=timezone.localdate())

    def public(self):
        """Published pages none of whose ancestors is hidden (a draft hides its branch)."""
        now = timezone.now()
        hidden = [path for path, at in _unpublished() if at is None or at > now]
        under_hidden = Q()
        for path in hidden:
            under_hidden |= Q(path__startswith=f"{path}/")
        return self.published().exclude(under_hidden) if under_hidden else self.published()


def _unpublished() -> list[tuple[str, datetime | None]]:
    """Every page not published yet, with when it will be, kept until the next content save:
    as time passes, scheduled pages leave the list (public() compares with now) but none
    joins it without a save."""
    return generation_cached(
        "unpublished-pages",
        lambda: list(
            Page.objects.exclude(publish_at__lte=timezone.now())
            .order_by()
            .values_list("path", "publish_at")
        ),
        by_language=False,
    )


@versioned()
class Page(HeroPicture, Publishable):
    """A program page; its URL is the path of its own and its ancestors' slugs."""

    title = LineField(max_length=200)
    slug = models.SlugField(
        max_length=100, help_text=_("The last part of the address: lowercase words and hyphens.")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Leave empty for a top-level section."),
    )
    path = models.CharField(max_length=500, unique=True, editable=False)
    summary = ProseField(
        max_length=300, help_text=_("One or two sentences, shown on cards and to search engines.")
    )
    body = RichTextField(blank=True)
    show_in_navigation = models.BooleanField(default=False)
    show_on_home = models.BooleanField(
        _("feature on the home page"),
        default=False,
        help_text=_("Show this page as a card in the home page's featured section."),
    )
    navigation_order = models.PositiveSmallIntegerField(default=100)
    seo_title = LineField(
        max_length=70, blank=True, help_text=_("Overrides the title in search results.")
    )
    seo_description = LineField(
        max_length=160, blank=True, help_text=_("Overrides the summary in search results.")
    )
    review_by = models.DateField(
        null=True, blank=True, help_text=_("When someone should check this page is still right.")
    )
    partner = models.CharField(max_length=10, choices=Partner.choices, default=Partner.BOTH)
    show_contact_details = models.BooleanField(
        default=False,
        help_text=_(
            "Show the partnership's email, phone and address (from the site settings) "
            "on this page: for the Contact page."
        ),
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["navigation_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="page_unique_slug_per_parent"),
            # NULLs are distinct in the constraint above: top-level pages need their own.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(parent=None),
                name="page_unique_top_level_slug",
                violation_error_message=_("Another top-level page already has this address."),
            ),
        ]
        indexes = [models.Index(fields=["show_in_navigation", "navigation_order"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:detail", kwargs={"page_path": self.path})

    def clean(self):
        super().clean()
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A page cannot be inside itself.")})
            ancestor = ancestor.parent
        if self.parent_id is None and self.slug and address_is_taken(self.slug):
            raise ValidationError(
                {"slug": _("This address is used by another part of the site. Choose another.")}
            )

    @property
    def ancestor_paths(self):
        parts = self.path.split("/")
        return ["/".join(parts[:i]) for i in range(1, len(parts))]

    @property
    def meta_title(self):
        return self.seo_title or self.title

    @property
    def meta_description(self):
        return self.seo_description or self.summary
