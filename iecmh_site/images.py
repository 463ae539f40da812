"""Responsive renditions of uploaded images, made with Pillow."""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

RENDITION_WIDTHS = (480, 960, 1600)
# Modern format first; JPEG is the fallback every browser shows.
RENDITION_FORMATS = {"webp": ("WEBP", {"quality": 80}), "jpg": ("JPEG", {"quality": 82})}


def make_renditions(field_file, *, widths=RENDITION_WIDTHS) -> dict:
    """Save resized copies of an image next to it; return their URLs and the original size.

    Returns {"width": W, "height": H, "webp": [[url, w], ...], "jpg": [[url, w], ...]}.
    Widths larger than the original are skipped (the original width is always included).
    """
    field_file.open("rb")
    try:
        with Image.open(field_file) as source:
            image = ImageOps.exif_transpose(source).convert("RGB")
    finally:
        field_file.close()
    width, height = image.size
    stem = PurePosixPath(field_file.name)
    targets = sorted({w for w in widths if w < width} | {width})
    result = {"width": width, "height": height}
    for extension, (image_format, options) in RENDITION_FORMATS.items():
        result[extension] = []
        for target in targets:
            resized = image.resize((target, round(height * target / width)), Image.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, format=image_format, **options)
            name = f"{stem.parent}/renditions/{stem.stem}-{target}.{extension}"
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(buffer.getvalue()))
            result[extension].append([default_storage.url(saved), target])
    return result
