"""Slugs that make addresses: unique ones, and ones no other address of the site has taken."""

from django.urls import Resolver404, resolve, reverse
from django.utils.text import slugify


def address_is_free(url_name: str, **kwargs) -> bool:
    """True when the address ``url_name`` makes with ``kwargs`` resolves back to it.

    A slug like "feed" under /reports/ reverses fine but resolves to the feed: taken.
    """
    path = reverse(url_name, kwargs=kwargs)
    try:
        return resolve(path).view_name == url_name
    except Resolver404:
        return False


def unique_slug(instance, source: str, *, url_names: list[str], max_length: int = 200) -> str:
    """A slug from ``source`` that no other row of the model has, free in every one of
    ``url_names`` (the addresses the slug goes into)."""
    base = slugify(source)[: max_length - 10].strip("-") or instance._meta.model_name
    slug, n = base, 2
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    while not all(address_is_free(name, slug=slug) for name in url_names) or (
        others.filter(slug=slug).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug
