"""Terms every app shares: the five professional roles and the two partners.

Apps import these from here, never from each other.
"""

from django.db import models

from iecmh_site.fields import LineField, ProseField


class Partner(models.TextChoices):
    """Which partner an item is attributed to."""

    MSPCC = "mspcc", "MSPCC"
    MASSAIMH = "massaimh", "MassAIMH"
    BOTH = "both", "MSPCC and MassAIMH"


# The five roles: (name, slug, description). Kept in the database by post_migrate.
ROLES = [
    (
        "Behavioral health clinicians",
        "behavioral-health-clinicians",
        "Clinicians who support the mental health of infants, young children and their families.",
    ),
    (
        "Pediatricians",
        "pediatricians",
        "Pediatricians and other pediatric primary-care staff, who see every family early "
        "and often.",
    ),
    (
        "Family partners",
        "family-partners",
        "Family partners who walk alongside parents and caregivers, drawing on lived experience.",
    ),
    (
        "Home visitors",
        "home-visitors",
        "Home visitors who build relationships with families where they live.",
    ),
    (
        "Early education and care practitioners",
        "early-education-and-care",
        "Early educators and child-care staff who nurture young children every day.",
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
        return self.name


def roles_ensure(**kwargs) -> None:
    """Create any of the five roles that is missing (post_migrate receiver)."""
    for order, (name, slug, description) in enumerate(ROLES, start=1):
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )
