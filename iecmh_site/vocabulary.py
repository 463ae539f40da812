"""Terms every app shares: the five professional roles and the two partners.

Apps import these from here, never from each other.
"""

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from iecmh_site.fields import LineField, ProseField


class Partner(models.TextChoices):
    """Which partner an item is attributed to."""

    MSPCC = "mspcc", "MSPCC"
    MASSAIMH = "massaimh", "MassAIMH"
    BOTH = "both", _("MSPCC and MassAIMH")


# The five roles: (name, slug, description). Kept in the database by post_migrate, in
# English; marked for the catalogue so that pages show them in the visitor's language.
ROLES = [
    (
        gettext_noop("Behavioral health clinicians"),
        "behavioral-health-clinicians",
        gettext_noop(
            "Clinicians who support the mental health of infants, young children and their "
            "families."
        ),
    ),
    (
        gettext_noop("Pediatricians"),
        "pediatricians",
        gettext_noop(
            "Pediatricians and other pediatric primary-care staff, who see every family early "
            "and often."
        ),
    ),
    (
        gettext_noop("Family partners"),
        "family-partners",
        gettext_noop(
            "Family partners who walk alongside parents and caregivers, drawing on lived "
            "experience."
        ),
    ),
    (
        gettext_noop("Home visitors"),
        "home-visitors",
        gettext_noop("Home visitors who build relationships with families where they live."),
    ),
    (
        gettext_noop("Early education and care practitioners"),
        "early-education-and-care",
        gettext_noop("Early educators and child-care staff who nurture young children every day."),
    ),
]


class Role(models.Model):
    """One of the five professional roles the partnership serves.

    Used everywhere a visitor or subscriber picks an audience: report and event filters,
    event audiences, newsletter interests.
    """

    name = LineField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = ProseField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "iecmh_site"
        ordering = ["order", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the visitor's language (the five roles are in the catalogue)."""
        return gettext(self.name)

    @property
    def description_label(self) -> str:
        return gettext(self.description) if self.description else ""


def roles_ensure(**kwargs) -> None:
    """Create any of the five roles that is missing (post_migrate receiver)."""
    for order, (name, slug, description) in enumerate(ROLES, start=1):
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
