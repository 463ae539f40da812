"""Where uploads live, how they are named, and the one cleaning step every upload form uses.

Public files (page and campaign pictures, toolkits, logos) are served under MEDIA_URL.
Private files (report PDFs and covers) live in a storage with no URL at all: only views that
check publication hand them out, so no spelling of a URL can reach a draft's file.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms import ClearableFileInput
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

IMAGE = "image"
PDF = "pdf"
PDF_MAGIC = b"%PDF-"


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk under PRIVATE_MEDIA_ROOT, which has no URL."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(PurePath(self.base_location))

    def url(self, name):
        raise ValueError("Private files have no URL: serve them through a view.")


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up again whenever the settings change (as in tests)."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _private_storage_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """The storage of files only views may hand out (FileField(storage=private_storage))."""
    return _private


class PrivateFileInput(ClearableFileInput):
    """A file input for a private file: names the current file instead of linking to it."""

    template_name = "widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))


@deconstructible
class RandomName:
    """upload_to that stores a file as <folder>/<random>.<ext>, so names cannot be guessed."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()[:8]
        return f"{self.folder}/{secrets.token_urlsafe(16)}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def safe_filename(name: str, extension: str) -> str:
    """A filename made only of safe characters, with the extension the content proved."""
    stem = slugify(PurePath(name or "").stem)[:80] or "file"
    return f"{stem}{extension}"


def _validate_size(uploaded) -> None:
    # Django streams large uploads to a temporary file, so this never reads it into memory.
    if uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("This file is %(size)s MB; the largest accepted is %(limit)s MB."),
            code="file_too_large",
            params={"size": round(uploaded.size / 1024 / 1024, 1), "limit": settings.MAX_UPLOAD_MB},
        )


def _is_pdf(uploaded) -> bool:
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    return PDF_MAGIC in head


def clean_upload(value, *, accept=(IMAGE,)):
    """Check a form's new upload by its content, cheaply: its size, and what its first bytes
    prove it is (a picture's header, a PDF's signature). Nothing is decoded here: a job
    processes the file in the sandbox once it is saved. Returns it with a safe name.

    ``accept`` names what the field takes (IMAGE, PDF or both); a stored file is left alone.
    """
    from iecmh_site.images import check_picture

    if not isinstance(value, UploadedFile):
        return value
    _validate_size(value)
    if _is_pdf(value):
        if PDF not in accept:
            raise ValidationError(
                _("This is a PDF; upload a JPEG, PNG or WebP picture here."), code="invalid_image"
            )
        value.name = safe_filename(value.name, ".pdf")
        return value
    if IMAGE not in accept:
        raise ValidationError(
            _("This file is not a PDF. Upload the report as a PDF document."), code="not_pdf"
        )
    try:
        value.name = safe_filename(value.name, check_picture(value))
    except ValidationError as exc:
        if PDF in accept and exc.code == "invalid_image":
            raise ValidationError(
                _("Upload a PDF, or a JPEG, PNG or WebP picture; this file is neither."),
                code="invalid_file",
            ) from exc
        raise
    return value
