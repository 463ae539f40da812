"""Models of the site-wide app: the shared vocabulary (iecmh_site.vocabulary) and counters."""

from django.db import models

from iecmh_site.vocabulary import Role

__all__ = ["RateCounter", "Role"]


class RateCounter(models.Model):
    """Hits of one client (hashed) in one rate-limit window; see iecmh_site.ratelimits."""

    key = models.CharField(max_length=120, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key
