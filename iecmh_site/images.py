"""Responsive renditions of stored pictures, made by easy-thumbnails from the original.

Rendition names follow from the original's name and the options, so a page computes its
srcset without touching storage or the database; the renditions themselves are made once,
when the picture is saved (``renditions_make``).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from easy_thumbnails.files import get_thumbnailer

WIDTHS = (480, 960, 1600)


def rendition_widths(width: int | None) -> list[int]:
    """The widths made for an original ``width`` pixels wide (never wider than it)."""
    if not width:
        return []
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def _options(width: int) -> dict:
    return {"size": (width, 0)}  # 0: keep the aspect ratio


def _thumbnailer(field_file):
    thumbnailer = get_thumbnailer(field_file)
    # Renditions live beside their original: private pictures stay private.
    thumbnailer.thumbnail_storage = field_file.storage
    return thumbnailer


def renditions_make(field_file, width: int) -> None:
    thumbnailer = _thumbnailer(field_file)
    for target in rendition_widths(width):
        thumbnailer.get_thumbnail(_options(target), generate=True)


def renditions_delete(field_file) -> None:
    if field_file:
        _thumbnailer(field_file).delete_thumbnails()


def rendition_name(field_file, width: int) -> str:
    return _thumbnailer(field_file).get_thumbnail_name(_options(width))


@dataclass(frozen=True)
class Picture:
    """What an <img> needs: a fallback src, a srcset, and the intrinsic size."""

    src: str
    srcset: str
    width: int
    height: int


def picture(field_file, width: int | None, height: int | None, *, url=None) -> Picture | None:
    """The picture of a stored image, or None; ``url(name, width)`` builds each address."""
    widths = rendition_widths(width)
    if not field_file or not widths or not height:
        return None
    if url is None:

        def url(name, _width):
            return field_file.storage.url(name)

    sources = [(url(rendition_name(field_file, w), w), w) for w in widths]
    fallback = next((src for src, w in sources if w >= 960), sources[-1][0])
    return Picture(
        src=fallback,
        srcset=", ".join(f"{src} {w}w" for src, w in sources),
        width=width,
        height=height,
    )


@deconstructible
class HeroUploadTo:
    """Heroes of each app in their own folder: pages/heroes/, events/heroes/..."""

    def __call__(self, instance, filename: str) -> str:
        return f"{instance._meta.app_label}/heroes/{filename}"

    def __eq__(self, other):
        return isinstance(other, HeroUploadTo)


class HeroPicture(models.Model):
    """A public picture at the top of a page, with its description and renditions."""

    hero_image = models.ImageField(
        "picture",
        upload_to=HeroUploadTo(),
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        help_text="A JPEG, PNG or WebP picture; it is re-encoded on upload.",
    )
    hero_alt = models.CharField(
        "picture description",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for people who cannot see it. Required with a picture.",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            message = "Describe the picture for people who cannot see it."
            raise ValidationError({"hero_alt": message})

    @property
    def hero_picture(self) -> Picture | None:
        return picture(self.hero_image, self.hero_width, self.hero_height)

    def hero_renditions_make(self) -> None:
        if self.hero_image:
            renditions_make(self.hero_image, self.hero_width)
