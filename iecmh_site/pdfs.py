"""What an uploaded PDF is (pages, accessibility basics) and its first page as a cover.

``examine_pdf`` runs in the sandbox (iecmh_site/sandbox.py): reports and toolkits come from
outside organizations, and a damaged or hostile PDF must fail its own job, not the worker.
"""

import io

from iecmh_site.sandbox import SandboxError

COVER_WIDTH = 960  # pixels: the widest rendition a report page asks for
# A first page thinner or longer than this (as a width:height ratio) makes no cover.
MAX_PAGE_RATIO = 20
MIN_PAGE_POINTS = 36  # half an inch


def _dict(value):
    """A PDF object as a dictionary, or {} when a damaged file has something else there."""
    try:
        value = value.get_object() if value is not None else {}
    except Exception:  # a dangling or broken reference
        return {}
    return value if hasattr(value, "get") else {}


def _text(value, limit: int) -> str:
    try:
        return str(value or "").strip()[:limit]
    except Exception:  # an object that has no sensible text
        return ""


def _facts(reader) -> dict:
    """Page count and the accessibility basics, read leniently: an odd /MarkInfo or /Info
    means "not tagged" or "no title", never an error."""
    root = _dict(reader.trailer.get("/Root"))
    mark_info = _dict(root.get("/MarkInfo"))
    marked = mark_info.get("/Marked")
    marked = marked if isinstance(marked, bool) else getattr(marked, "value", None)  # pypdf's
    tagged = marked is True and "/StructTreeRoot" in root
    language = _text(root.get("/Lang"), 35)
    title = ""
    try:
        metadata = reader.metadata
        title = _text(metadata.title if metadata else "", 300)
    except Exception:  # /Info pointing at an array, say
        title = ""
    if not title:
        try:
            xmp = reader.xmp_metadata
            if xmp and xmp.dc_title:
                title = _text(next(iter(xmp.dc_title.values()), ""), 300)
        except Exception:  # damaged XMP metadata only means "no title"
            title = ""
    return {"pages": len(reader.pages), "tagged": tagged, "language": language, "title": title}


def _cover(data: bytes) -> tuple[bytes | None, str]:
    """The first page as a JPEG COVER_WIDTH pixels wide, or (None, why not)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        width, height = page.get_size()
        if min(width, height) < MIN_PAGE_POINTS or max(width, height) > MAX_PAGE_RATIO * min(
            width, height
        ):
            return None, f"its first page has an unusual size ({width:.0f} × {height:.0f} points)"
        image = page.render(scale=COVER_WIDTH / width).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue(), ""


def examine_pdf(data: bytes, *, make_cover: bool) -> dict:
    """In the sandbox: the PDF's facts and, when asked, its first page as a cover.

    Raises SandboxError with a message for staff when the PDF cannot be used. A PDF that
    opens without a password is accepted whatever its editing restrictions.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise SandboxError("This file is not a PDF.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SandboxError(
                "This PDF needs a password to open. Upload a version that opens without one."
            )
        facts = _facts(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise SandboxError(
            "This PDF is damaged and cannot be opened. Export it again and re-upload."
        ) from exc
    if facts["pages"] < 1:
        raise SandboxError("This PDF has no pages.")
    facts["cover"], facts["cover_problem"] = _cover(data) if make_cover else (None, "")
    return facts
