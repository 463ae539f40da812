"""Small PDFs made in code: demo reports and toolkits, and the files tests upload."""

from io import BytesIO


def _pdf_text(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", "replace")


def build_pdf(
    title: str,
    lines: tuple[str, ...] = (),
    *,
    pages: int = 1,
    tagged: bool = True,
    language: str = "en-US",
    with_title: bool = True,
) -> bytes:
    """A small US Letter PDF: a heading and lines of text on each page.

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
    for number in range(pages):
        page = writer.add_blank_page(612, 792)
        page_ref = page.indirect_reference
        page_elements = ArrayObject()
        operations = []
        items = [("/H1", 26, title)] + [("/P", 13, line) for line in lines]
        if pages > 1:
            items.append(("/P", 11, f"Page {number + 1} of {pages}"))
        y = 680
        for mcid, (tag, size, text) in enumerate(items):
            content = b"BT /F1 %d Tf 72 %d Td (%s) Tj ET" % (size, y, _pdf_text(text))
            if tagged:
                content = b"%s <</MCID %d>> BDC %s EMC" % (tag.encode(), mcid, content)
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
            operations.append(content)
            y -= size * 2
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
