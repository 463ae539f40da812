from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iecmh_site.fields import HttpsURLField, LineField, ProseField
from iecmh_site.images import picture
from iecmh_site.publishing import Publishable, PublishableQuerySet
from iecmh_site.revisions import versioned
from iecmh_site.richtext import RichTextField
from iecmh_site.slugs import address_is_free
from iecmh_site.storage import RandomName, private_storage
from iecmh_site.vocabulary import Partner, Role


class Topic(models.Model):
    name = LineField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = ProseField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('reports:list')}?topic={self.slug}"


class Organization(models.Model):
    """An organization that produces, partners on or funds reports; reused across reports."""

    name = LineField(max_length=200, unique=True)
    url = HttpsURLField("website", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Author(models.Model):
    """A person or a group (an organization) credited as an author."""

    family_name = LineField(
        "family name or group name",
        max_length=200,
        help_text="For a group author (an organization), its full name here.",
    )
    given_names = LineField(max_length=200, blank=True, help_text="Leave empty for a group author.")

    class Meta:
        ordering = ["family_name", "given_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["family_name", "given_names"], name="reports_author_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def is_group(self):
        return not self.given_names

    @property
    def apa_name(self):
        """'Family, G. N.' for a person; the full name for a group."""
        if self.is_group:
            return self.family_name
        initials = " ".join(
            "-".join(f"{part[0]}." for part in name.split("-") if part)
            for name in self.given_names.split()
        )
        return f"{self.family_name}, {initials}"


class ReportQuerySet(PublishableQuerySet):
    def featured(self):
        return self.filter(featured=True)

    def with_topic_list(self):
        """Each report's topics as a plain list, read by Report.topic_list."""
        return self.with_list("topics")


@versioned(follow=["author_links", "organization_links"])
class Report(Publishable):
    title = LineField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    subtitle = LineField(max_length=250, blank=True)
    summary = ProseField(help_text="Two or three sentences: what the report finds and why.")
    key_findings = RichTextField(blank=True)
    publication_date = models.DateField(help_text="The date printed on the report.")

    # Private: handed out only by the download and cover views, which check publication.
    pdf = models.FileField(
        "PDF", storage=private_storage, upload_to=RandomName("reports/pdfs"), blank=True
    )
    pdf_size = models.PositiveBigIntegerField("PDF size (bytes)", default=0, editable=False)
    pdf_pages = models.PositiveIntegerField("PDF pages", default=0, editable=False)
    pdf_tagged = models.BooleanField("PDF is tagged", default=False, editable=False)
    pdf_language = models.CharField("PDF language", max_length=35, blank=True, editable=False)
    pdf_title = models.CharField("PDF document title", max_length=300, blank=True, editable=False)
    pdf_accessible = models.BooleanField(
        "PDF passes the accessibility check", default=False, editable=False
    )

    cover = models.ImageField(
        storage=private_storage,
        upload_to=RandomName("reports/covers"),
        blank=True,
        help_text="Optional: without one, a cover is made from the PDF's first page.",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_generated = models.BooleanField(default=False, editable=False)
    # A background job checks a new PDF and makes the cover; until then visitors see neither.
    files_ready = models.BooleanField(default=False, editable=False)
    files_problem = models.CharField(max_length=500, blank=True, editable=False)

    authors = models.ManyToManyField(Author, through="ReportAuthor", blank=True)
    organizations = models.ManyToManyField(Organization, through="ReportOrganization", blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="reports")
    roles = models.ManyToManyField(
        Role, blank=True, related_name="reports", help_text="The roles this report concerns."
    )
    partner = models.CharField(max_length=10, choices=Partner.choices, default=Partner.BOTH)

    featured = models.BooleanField(
        default=False, help_text="The newest featured report is the home page's “New release”."
    )
    download_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_date", "-publish_at"]
        indexes = [
            models.Index(fields=["-publication_date", "-publish_at"], name="reports_newest_idx"),
            models.Index(
                fields=["-publication_date"],
                condition=Q(featured=True),
                name="reports_featured_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:120]
        self.pdf_accessible = not self.pdf_accessibility_problems
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:detail", kwargs={"slug": self.slug})

    def get_download_url(self):
        return reverse("reports:download", kwargs={"slug": self.slug})

    def clean(self):
        if self.slug and not address_is_free("reports:detail", slug=self.slug):
            raise ValidationError({"slug": "This address is taken by the site; choose another."})

    @property
    def topic_list(self) -> list[Topic]:
        """Its topics, as with_topic_list() loaded them (else from the database)."""
        return self.related_list("topics")

    @property
    def full_title(self):
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def cover_version(self) -> str:
        """Changes with the cover file, so its addresses can be cached for good."""
        return self.cover.name.rsplit("/", 1)[-1].split(".", 1)[0] if self.cover else ""

    @property
    def files_state(self) -> str:
        """For staff: what became of the files."""
        if not self.files_ready and (self.pdf or self.cover):
            return self.files_problem or "Being checked: this takes a moment."
        return self.files_problem

    @property
    def downloadable(self) -> bool:
        return bool(self.pdf) and self.files_ready

    @property
    def cover_picture(self):
        if not self.files_ready:
            return None

        def url(name, width):
            return reverse(
                "reports:cover",
                kwargs={"slug": self.slug, "version": self.cover_version, "width": width},
            )

        return picture(self.cover, self.cover_width, self.cover_height, url=url)

    @property
    def pdf_accessibility_problems(self) -> list[str]:
        """What the accessibility check found missing, in words staff and visitors understand."""
        if not self.pdf:
            return []
        problems = []
        if not self.pdf_tagged:
            problems.append(_("it is not tagged, so screen readers cannot follow its structure"))
        if not self.pdf_language:
            problems.append(_("it does not declare its language"))
        if not self.pdf_title:
            problems.append(_("it has no document title"))
        return problems

    @property
    def pdf_size_display(self) -> str:
        size = self.pdf_size
        if size < 1024 * 1024:
            return f"{max(1, round(size / 1024))} KB"
        # "2.3 MB", or "2,3 MB" in Spanish: the decimal mark of the active language.
        return f"{formats.number_format(size / 1024 / 1024, 1)} MB"

    @property
    def pdf_summary(self) -> str:
        """'PDF, 2.3 MB, 48 pages'."""
        pages = ngettext("%(count)d page", "%(count)d pages", self.pdf_pages) % {
            "count": self.pdf_pages
        }
        return _("PDF, %(size)s, %(pages)s") % {"size": self.pdf_size_display, "pages": pages}

    def download_filename(self) -> str:
        return f"{self.slug}.pdf"

    # The methods below read prefetched relations (see the detail view's queryset).

    def ordered_authors(self):
        return [link.author for link in self.author_links.all()]

    def organizations_credited(self, credit):
        links = self.organization_links.all()
        return [link.organization for link in links if link.credit == credit]

    def producers(self):
        return self.organizations_credited(ReportOrganization.Credit.PRODUCED_BY)

    def partners(self):
        return self.organizations_credited(ReportOrganization.Credit.IN_PARTNERSHIP_WITH)

    def funders(self):
        return self.organizations_credited(ReportOrganization.Credit.FUNDED_BY)

    @property
    def credit_line(self) -> str:
        """'Produced by MSPCC and Boston University; funded by The Boston Foundation.'"""

        def names(organizations):
            names = [organization.name for organization in organizations]
            if len(names) < 2:
                return "".join(names)
            return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}

        parts = []
        if producers := self.producers():
            parts.append(_("Produced by %(names)s") % {"names": names(producers)})
        if funders := self.funders():
            funded = _("funded by %(names)s") if parts else _("Funded by %(names)s")
            parts.append(funded % {"names": names(funders)})
        return f"{'; '.join(parts)}." if parts else ""

    def citation_authors(self):
        """Who the citation names first: the authors, or else the producing organizations."""
        authors = [author.apa_name for author in self.ordered_authors()]
        return authors or [organization.name for organization in self.producers()]

    def apa_citation(self, site_url: str | None = None):
        """The APA (7th edition) reference, as HTML with the title in italics.

        Always the report as published: its English title and English address, on the Spanish
        page too. A citation names the work as it appeared, not a translation of its title.
        """
        with translation.override(settings.LANGUAGE_CODE):
            return self._apa_citation(site_url)

    def _apa_citation(self, site_url: str | None):
        site_url = (site_url or settings.SITE_URL).rstrip("/")
        names = self.citation_authors()
        authors = join_apa_names(names)
        # When the producing organizations are the authors, APA does not repeat them.
        publishers = [o.name for o in self.producers()] if self.ordered_authors() else []
        year = self.publication_date.year
        url = f"{site_url}{self.get_absolute_url()}"
        if authors:
            head = format_html(
                "{}{} ({}). <i>{}</i>.",
                authors,
                "" if authors.endswith(".") else ".",
                year,
                self.full_title,
            )
        else:
            head = format_html("<i>{}</i>. ({}).", self.full_title, year)
        parts = [head]
        if publishers:
            parts.append(format_html("{}.", "; ".join(publishers)))
        parts.append(url)
        return format_html_join(" ", "{}", ((part,) for part in parts))


def join_apa_names(names: list[str]) -> str:
    """'A', 'A & B' (groups), 'Smith, J., & Jones, K.', 'A, B, & C'."""
    if len(names) < 2:
        return "".join(names)
    separator = ", & " if len(names) > 2 or any("," in name for name in names) else " & "
    return ", ".join(names[:-1]) + separator + names[-1]


@versioned()
class ReportAuthor(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="author_links")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="report_links")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "author"
        constraints = [
            models.UniqueConstraint(fields=["report", "author"], name="reports_author_once")
        ]

    def __str__(self):
        return str(self.author)


@versioned()
class ReportOrganization(models.Model):
    class Credit(models.TextChoices):
        PRODUCED_BY = "produced_by", "Produced by"
        IN_PARTNERSHIP_WITH = "in_partnership_with", "In partnership with"
        FUNDED_BY = "funded_by", "Funded by"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="organization_links")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="report_links"
    )
    credit = models.CharField(max_length=20, choices=Credit.choices, default=Credit.PRODUCED_BY)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "organization"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organization", "credit"], name="reports_organization_once"
            )
        ]

    def __str__(self):
        return f"{self.get_credit_display()} {self.organization}"
