"""Small PDFs made in code: demo reports and toolkits, and the files tests upload."""

import textwrap
from io import BytesIO

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 612, 792, 72
# Helvetica's average glyph is about half its size wide: enough to wrap text inside margins.
AVERAGE_GLYPH = 0.52


def _pdf_text(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", "replace")


def _wrapped(text: str, size: int) -> list[str]:
    width = int((PAGE_WIDTH - 2 * MARGIN) / (size * AVERAGE_GLYPH))
    return textwrap.wrap(text, width) or [""]


def build_pdf(
    title: str,
    lines: tuple[str, ...] = (),
    *,
    pages: int = 1,
    tagged: bool = True,
    language: str = "en-US",
    with_title: bool = True,
) -> bytes:
    """A small US Letter PDF: a heading and paragraphs on each page (``pages`` times)."""
    items = [("/H1", 26, title)] + [("/P", 13, line) for line in lines]
    content = [
        items + ([("/P", 11, f"Page {n + 1} of {pages}")] if pages > 1 else [])
        for n in range(pages)
    ]
    return _build(title, content, tagged=tagged, language=language, with_title=with_title)


def build_document(
    title: str, title_lines: tuple[str, ...], sections: list[tuple[str, tuple[str, ...]]]
) -> bytes:
    """A readable multi-page PDF: a title page, then one page per (heading, paragraphs)."""
    content = [[("/H1", 26, title)] + [("/P", 13, line) for line in title_lines]]
    for heading, paragraphs in sections:
        content.append([("/H2", 18, heading)] + [("/P", 12, text) for text in paragraphs])
    return _build(title, content, tagged=True, language="en-US", with_title=True)


def _build(title: str, content, *, tagged: bool, language: str, with_title: bool) -> bytes:
    """Pages of (structure tag, font size, text) items; text is wrapped within the margins.

    With ``tagged`` the text is marked content inside a structure tree (Document, H1, P), as
    an accessible export would be; ``language`` and ``with_title`` set /Lang and the title.
    """
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    root = writer.root_object
    # pypdf has no public "add an indirect object"; _add_object is its documented way in.
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem")})
    document[NameObject("/S")] = NameObject("/Document")
    document_ref = writer._add_object(document)
    elements = ArrayObject()
    parent_tree = ArrayObject()
    for number, items in enumerate(content):
        page = writer.add_blank_page(PAGE_WIDTH, PAGE_HEIGHT)
        page_ref = page.indirect_reference
        page_elements = ArrayObject()
        operations = []
        y = PAGE_HEIGHT - 112
        for mcid, (tag, size, text) in enumerate(items):
            leading = round(size * 1.35)
            shown = b" ".join(
                b"BT /F1 %d Tf %d %d Td (%s) Tj ET"
                % (size, MARGIN, y - row * leading, _pdf_text(part))
                for row, part in enumerate(_wrapped(text, size))
            )
            y -= leading * len(_wrapped(text, size))
            content_bytes = shown
            if tagged:
                content_bytes = b"%s <</MCID %d>> BDC %s EMC" % (tag.encode(), mcid, content_bytes)
                element = DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/StructElem"),
                        NameObject("/S"): NameObject(tag),
                        NameObject("/P"): document_ref,
                        NameObject("/Pg"): page_ref,
                        NameObject("/K"): NumberObject(mcid),
                    }
                )
                element_ref = writer._add_object(element)
                elements.append(element_ref)
                page_elements.append(element_ref)
            operations.append(content_bytes)
            y -= round(size * 0.8)  # space between paragraphs
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(operations))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        if tagged:
            page[NameObject("/StructParents")] = NumberObject(number)
            parent_tree.extend([NumberObject(number), writer._add_object(page_elements)])
    if tagged:
        tree_root = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructTreeRoot"),
                    NameObject("/K"): document_ref,
                    NameObject("/ParentTree"): DictionaryObject({NameObject("/Nums"): parent_tree}),
                }
            )
        )
        document[NameObject("/P")] = tree_root
        document[NameObject("/K")] = elements
        root[NameObject("/StructTreeRoot")] = tree_root
        root[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)}
        )
    if language:
        root[NameObject("/Lang")] = TextStringObject(language)
    if with_title:
        writer.add_metadata({"/Title": title})
        root[NameObject("/ViewerPreferences")] = DictionaryObject(
            {NameObject("/DisplayDocTitle"): BooleanObject(True)}
        )
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
