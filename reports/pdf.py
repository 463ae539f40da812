"""Facts read from a report's PDF (pages, accessibility basics) and its rendered cover."""

import io
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile

logger = logging.getLogger(__name__)

COVER_WIDTH = 960  # pixels: the widest rendition a report page asks for


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    size: int
    tagged: bool
    language: str
    title: str


def _source(uploaded):
    """What the PDF libraries should open: a path on disk when there is one, else the stream."""
    path = getattr(uploaded, "temporary_file_path", None)
    if path:
        return path()
    uploaded.seek(0)
    return uploaded


def inspect_pdf(uploaded) -> PdfFacts:
    """Read page count and the accessibility basics of a PDF that validate_pdf accepted.

    The tagged check is the one screen readers depend on: /MarkInfo says Marked and the
    catalog has a structure tree. Language is the catalog's /Lang; the title comes from the
    document information dictionary (or XMP metadata).
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    reader = PdfReader(_source(uploaded))
    root = reader.trailer["/Root"].get_object()
    mark_info = root.get("/MarkInfo")
    mark_info = mark_info.get_object() if mark_info is not None else {}
    tagged = bool(mark_info.get("/Marked", False)) and "/StructTreeRoot" in root
    language = str(root.get("/Lang", "") or "").strip()[:35]
    title = ""
    metadata = reader.metadata
    if metadata and metadata.title:
        title = str(metadata.title).strip()
    if not title:
        try:
            xmp = reader.xmp_metadata
            if xmp and xmp.dc_title:
                title = str(next(iter(xmp.dc_title.values()), "")).strip()
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
            title = ""  # damaged XMP metadata only means "no title"
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return PdfFacts(
        pages=len(reader.pages),
        size=uploaded.size,
        tagged=tagged,
        language=language,
        title=title[:300],
    )


def render_cover(uploaded, *, name: str = "cover") -> ContentFile | None:
    """The first page as a JPEG COVER_WIDTH pixels wide, or None when PDFium cannot render it."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(_source(uploaded))
        try:
            page = document[0]
            page_width = page.get_width()
            bitmap = page.render(scale=COVER_WIDTH / page_width)
            image = bitmap.to_pil().convert("RGB")
            page.close()
        finally:
            document.close()
    except (pdfium.PdfiumError, IndexError, ValueError, ZeroDivisionError) as exc:
        logger.warning("Could not render a cover from %s: %s", getattr(uploaded, "name", "?"), exc)
        return None
    finally:
        if hasattr(uploaded, "seek"):
            uploaded.seek(0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=f"{name}.jpg")
