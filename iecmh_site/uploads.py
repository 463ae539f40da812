"""Validation of uploaded files by their content, shared by every app that takes uploads."""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow raises DecompressionBombError above twice this many pixels, and warns above it.
Image.MAX_IMAGE_PIXELS = 40_000_000

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
PDF_MAGIC = b"%PDF-"


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def validate_upload_size(uploaded) -> None:
    """Refuse files over MAX_UPLOAD_MB using the size the upload handler counted.

    Django streams large uploads to a temporary file, so this check never reads the
    whole file into memory.
    """
    if uploaded.size > max_upload_bytes():
        raise ValidationError(
            "This file is %(size)s MB; the largest accepted is %(limit)s MB.",
            code="file_too_large",
            params={"size": round(uploaded.size / 1024 / 1024, 1), "limit": settings.MAX_UPLOAD_MB},
        )


def safe_filename(name: str, extension: str) -> str:
    """A filename made only of safe characters, with the extension the content proved."""
    stem = slugify(PurePath(name or "").stem)[:80] or "file"
    return f"{stem}{extension}"


def validate_image(uploaded) -> None:
    """Accept only real JPEG, PNG or WebP images of a sane size (no SVG, no bombs)."""
    validate_upload_size(uploaded)
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(
            "This file is not an image we can use. Upload a JPEG, PNG or WebP picture.",
            code="invalid_image",
        ) from exc
    finally:
        uploaded.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            "Upload a JPEG, PNG or WebP picture (this one is %(format)s).",
            code="invalid_image_format",
            params={"format": image_format},
        )


def reencode_image(uploaded) -> ContentFile:
    """Re-encode an image through Pillow: drops metadata and anything hidden after the pixels."""
    uploaded.seek(0)
    with Image.open(uploaded) as image:
        image_format = image.format
        image = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        save_options = {"quality": 85, "optimize": True} if image_format == "JPEG" else {}
        image.save(buffer, format=image_format, **save_options)
    uploaded.seek(0)
    return ContentFile(
        buffer.getvalue(), name=safe_filename(uploaded.name, IMAGE_FORMATS[image_format])
    )


def validate_pdf(uploaded) -> None:
    """Accept only a real PDF: the magic bytes, then a full parse with pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    validate_upload_size(uploaded)
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    if PDF_MAGIC not in head:
        raise ValidationError(
            "This file is not a PDF. Upload the report as a PDF document.", code="not_pdf"
        )
    try:
        reader = PdfReader(uploaded)
        if reader.is_encrypted:
            raise ValidationError(
                "This PDF is password-protected. Upload a version without a password.",
                code="pdf_encrypted",
            )
        if len(reader.pages) < 1:
            raise ValidationError("This PDF has no pages.", code="pdf_empty")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            "This PDF is damaged and cannot be opened. Export it again and re-upload.",
            code="pdf_damaged",
        ) from exc
    finally:
        uploaded.seek(0)
