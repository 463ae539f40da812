from django.db import models


class Partner(models.TextChoices):
    """Which partner an item is attributed to."""

    MSPCC = "mspcc", "MSPCC"
    MASSAIMH = "massaimh", "MassAIMH"
    BOTH = "both", "MSPCC and MassAIMH"


class Role(models.Model):
    """One of the five professional roles the partnership serves.

    Used everywhere a visitor or subscriber picks an audience: report and event filters,
    event audiences, newsletter interests. The five rows are made by a data migration.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
