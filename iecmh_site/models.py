"""Models of the site-wide app: the shared vocabulary lives in iecmh_site.vocabulary."""

from iecmh_site.vocabulary import Role

__all__ = ["Role"]
