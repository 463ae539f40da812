"""Pictures: the checks an upload passes, their processing, and their responsive renditions.

An upload is only looked at in the request (format and size from its header, nothing
decoded); a background job then re-encodes it (dropping metadata and anything hidden after
the pixels) and makes WebP renditions with easy-thumbnails, in the sandbox. Rendition names
follow from the original's name and the options, so a page computes its srcset without
touching storage or the database.
"""

import functools
import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from easy_thumbnails.files import Thumbnailer, ThumbnailFile, get_thumbnailer
from PIL import Image, ImageOps, UnidentifiedImageError

from iecmh_site import sandbox
from iecmh_site.cache import invalidate

WIDTHS = (480, 960, 1600)
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MAX_MEGAPIXELS = 40
MAX_ASPECT_RATIO = 20  # a picture 20 times wider than tall (or the other way) at most

# Pillow refuses (DecompressionBombError) to decode more than twice this; the check below
# refuses more than MAX_MEGAPIXELS before anything is decoded at all.
Image.MAX_IMAGE_PIXELS = MAX_MEGAPIXELS * 1_000_000


def rendition_widths(width: int | None) -> list[int]:
    """The widths made for an original ``width`` pixels wide (never wider than it)."""
    if not width:
        return []
    return sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})


def check_picture(uploaded) -> str:
    """Accept a JPEG, PNG or WebP of a sane size, reading only its header; return the
    extension its content proves."""
    try:
        uploaded.seek(0)
        with warnings.catch_warnings():
            # Pillow warns of a big picture when it opens one; the size check below refuses it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                image_format, (width, height) = image.format, image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(
            _("This file is not a picture we can use. Upload a JPEG, PNG or WebP picture."),
            code="invalid_image",
        ) from exc
    finally:
        uploaded.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP picture (this one is %(format)s)."),
            code="invalid_image_format",
            params={"format": image_format},
        )
    params = {"width": width, "height": height, "limit": MAX_MEGAPIXELS}
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        raise ValidationError(
            _(
                "This picture is %(width)s × %(height)s pixels; the largest accepted is "
                "%(limit)s megapixels. Make it smaller and upload it again."
            ),
            code="image_too_large",
            params=params,
        )
    if max(width, height) > MAX_ASPECT_RATIO * max(1, min(width, height)):
        raise ValidationError(
            _(
                "This picture is %(width)s × %(height)s pixels: too long and thin to show. "
                "Crop it and upload it again."
            ),
            code="image_aspect",
            params=params,
        )
    return FORMATS[image_format]


def _options(width: int) -> dict:
    return {"size": (width, 0)}  # 0: keep the aspect ratio


def _thumbnailer(field_file):
    thumbnailer = get_thumbnailer(field_file)
    # Renditions live beside their original: private pictures stay private.
    thumbnailer.thumbnail_storage = field_file.storage
    return thumbnailer


def rendition_name(field_file, width: int) -> str:
    return _rendition_name(field_file.storage, field_file.name, width)


@functools.lru_cache(maxsize=4096)
def _rendition_name(storage, name: str, width: int) -> str:
    """Remembered: working a name out anew took a sixth of a page's time (four pictures at
    three widths). It depends on nothing but these and the settings."""
    thumbnailer = get_thumbnailer(storage, name)
    thumbnailer.thumbnail_storage = storage
    return thumbnailer.get_thumbnail_name(_options(width))


def renditions_delete(field_file) -> None:
    if field_file:
        _thumbnailer(field_file).delete_thumbnails()


def render_picture(data: bytes, name: str) -> dict:
    """In the sandbox: the picture re-encoded, and a WebP rendition at each width.

    Returns {"original": bytes, "extension": ".jpg", "width": w, "height": h,
    "renditions": {width: bytes}}.
    """
    with Image.open(io.BytesIO(data)) as source:
        image_format = source.format
        image = ImageOps.exif_transpose(source)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if image_format == "JPEG" else {}
        image.save(buffer, format=image_format, **options)
        width, height = image.size
    original = buffer.getvalue()
    thumbnailer = Thumbnailer(ContentFile(original), name=name)
    renditions = {}
    for target in rendition_widths(width):
        thumbnail = thumbnailer.generate_thumbnail(_options(target))
        renditions[target] = thumbnail.file.read()
    return {
        "original": original,
        "extension": FORMATS[image_format],
        "width": width,
        "height": height,
        "renditions": renditions,
    }


def picture_process(field_file) -> tuple[int, int]:
    """Replace a stored picture by its re-encoded self and store its renditions.

    Raises sandbox.SandboxError, with a message for staff, when the picture cannot be
    processed. Returns the picture's width and height.
    """
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as stored:
        data = stored.read()
    result = sandbox.run(render_picture, data, PurePosixPath(field_file.name).name)
    old_name = field_file.name
    # A fresh name: the re-encoded file never overwrites, and caches never confuse, the upload.
    folder = PurePosixPath(old_name).parent
    new_name = f"{folder}/{secrets.token_urlsafe(16)}{result['extension']}"
    field_file.name = storage.save(new_name, ContentFile(result["original"]))
    storage.delete(old_name)
    thumbnailer = _thumbnailer(field_file)
    for width, rendition in result["renditions"].items():
        options = thumbnailer.get_options(_options(width))
        thumbnailer.save_thumbnail(
            ThumbnailFile(
                thumbnailer.get_thumbnail_name(options),
                file=ContentFile(rendition),
                storage=storage,
                thumbnail_options=options,
            )
        )
    return result["width"], result["height"]


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
    """A public picture at the top of a page, with its description and renditions.

    A new picture is shown once the background job has processed it (hero_ready); if it
    cannot be, the file is removed and hero_problem says why.
    """

    hero_image = models.ImageField(
        _("picture"),
        upload_to=HeroUploadTo(),
        blank=True,
        help_text=_(
            "A JPEG, PNG or WebP picture, at most 40 megapixels; it is re-encoded and "
            "resized a moment after saving."
        ),
    )
    hero_alt = models.CharField(
        _("picture description"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for people who cannot see it. Required with a picture, "
            "unless it is only decoration."
        ),
    )
    hero_decorative = models.BooleanField(
        _("decoration only"),
        default=False,
        help_text=_("Tick for a pattern or shape that tells nothing: screen readers then skip it."),
    )
    hero_credit = models.CharField(
        _("picture credit"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who took or made it, as it should be credited: “Photo: Ana Rivera for MSPCC”."
        ),
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_ready = models.BooleanField(default=False, editable=False)
    hero_problem = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_decorative and not self.hero_alt.strip():
            message = _("Describe the picture for people who cannot see it.")
            raise ValidationError({"hero_alt": message})

    @property
    def hero_description(self) -> str:
        """The alt text: empty for a decoration, so screen readers skip it."""
        return "" if self.hero_decorative else self.hero_alt

    @property
    def hero_picture(self) -> Picture | None:
        if not self.hero_ready:
            return None
        return picture(self.hero_image, self.hero_width, self.hero_height)

    @property
    def hero_state(self) -> str:
        """For staff: what became of the picture."""
        if self.hero_problem:
            return self.hero_problem
        if self.hero_image and not self.hero_ready:
            return "Being processed: it appears on the page in a moment."
        return ""


def hero_picture_process(obj: HeroPicture) -> None:
    """Process a hero picture; on failure remove the file and say why (for the job)."""
    if not obj.hero_image:
        return
    try:
        obj.hero_width, obj.hero_height = picture_process(obj.hero_image)
    except sandbox.SandboxError as exc:
        obj.hero_image.storage.delete(obj.hero_image.name)
        obj.hero_image = ""
        obj.hero_ready, obj.hero_width, obj.hero_height = False, None, None
        obj.hero_problem = f"The picture could not be used: {exc} Upload another one."
    else:
        obj.hero_ready, obj.hero_problem = True, ""
    type(obj).objects.filter(pk=obj.pk).update(
        hero_image=obj.hero_image.name or "",
        hero_width=obj.hero_width,
        hero_height=obj.hero_height,
        hero_ready=obj.hero_ready,
        hero_problem=obj.hero_problem,
    )
    invalidate()  # update() sends no signals
