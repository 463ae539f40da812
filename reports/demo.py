"""Demo reports: the flagship workforce mapping and a few more, each with a PDF made here."""

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pages.models import Partner, Role

FLAGSHIP_SLUG = "mapping-workforce-assets-and-needs-massachusetts-iecmh"

TOPICS = {
    "workforce": ("Workforce development", "Building a diverse, well-trained IECMH workforce."),
    "policy": ("Policy and advocacy", "Evidence for policy that strengthens IECMH services."),
    "relational-health": (
        "Early relational health",
        "Relationships as the foundation of the youngest children's wellness.",
    ),
    "training": ("Training", "Professional development for the five roles."),
}

ORGANISATIONS = {
    "mspcc": (
        "Massachusetts Society for the Prevention of Cruelty to Children (MSPCC)",
        "https://www.mspcc.org/",
    ),
    "massaimh": ("Massachusetts Association for Infant Mental Health (MassAIMH)", ""),
    "bu": ("Boston University", "https://www.bu.edu/"),
    "tbf": ("The Boston Foundation", "https://www.tbf.org/"),
}

REPORTS = [
    {
        "slug": FLAGSHIP_SLUG,
        "title": "A Mapping of Workforce Assets and Needs: Massachusetts IECMH",
        "summary": (
            "Identifies the strengths of, and the barriers facing, the infant and early childhood "
            "mental health and relational workforce in Massachusetts, as a foundation for policy "
            "and advocacy to strengthen workforce trainings and infrastructure."
        ),
        "key_findings": (
            "<p>The mapping describes the assets the Commonwealth's IECMH and relational "
            "workforce already has to build on.</p>"
            "<p>It names the barriers that keep professionals from entering, staying in and "
            "growing in this work.</p>"
            "<p>It sets out where policy and advocacy can strengthen workforce trainings and "
            "infrastructure.</p>"
        ),
        "year": 2025,
        "topics": ["workforce", "policy"],
        "roles": "all",
        "featured": True,
        "partner": Partner.MSPCC,
        "organisations": [("mspcc", "produced_by"), ("bu", "produced_by"), ("tbf", "funded_by")],
    },
    {
        "slug": "early-relational-health-in-practice",
        "title": "Early Relational Health in Practice",
        "subtitle": "Supporting the youngest children and their families",
        "summary": (
            "Why early relational health matters to the thriving and wellness of infants, young "
            "children and their families, and how professionals in every role can support it."
        ),
        "key_findings": (
            "<p>Nurturing relationships are central to young children's mental health.</p>"
            "<p>Every one of the five roles has a part in supporting them.</p>"
        ),
        "year": 2023,
        "topics": ["relational-health"],
        "roles": ["home-visitors", "family-partners", "early-education-and-care"],
        "partner": Partner.BOTH,
        "organisations": [("mspcc", "produced_by"), ("massaimh", "in_partnership_with")],
    },
    {
        "slug": "pathways-to-iecmh-endorsement",
        "title": "Pathways to the IECMH Endorsement® Credential",
        "summary": (
            "An overview of the pathways to the IECMH Endorsement® credential and what staying "
            "endorsed asks of professionals: yearly training hours and reflective supervision "
            "hours."
        ),
        "key_findings": (
            "<p>Endorsement recognises professionals' growing competence in IECMH.</p>"
            "<p>Reflective supervision and consultation support professionals over time.</p>"
        ),
        "year": 2022,
        "topics": ["training", "workforce"],
        "roles": ["behavioral-health-clinicians", "pediatricians"],
        "partner": Partner.MASSAIMH,
        "organisations": [("massaimh", "produced_by"), ("mspcc", "in_partnership_with")],
    },
]


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


def seed(*, stdout) -> None:
    from reports.models import Organisation, Report, ReportOrganisation, Topic
    from reports.services import report_attach_pdf

    topics = {}
    for key, (name, description) in TOPICS.items():
        topics[key], _ = Topic.objects.get_or_create(
            slug=key, defaults={"name": name, "description": description}
        )
    organisations = {}
    for key, (name, url) in ORGANISATIONS.items():
        organisations[key], _ = Organisation.objects.get_or_create(name=name, defaults={"url": url})

    created_count = 0
    for data in REPORTS:
        if Report.objects.filter(slug=data["slug"]).exists():
            continue
        report = Report(
            slug=data["slug"],
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            summary=data["summary"],
            key_findings=data["key_findings"],
            publication_date=datetime.date(data["year"], 6, 1),
            featured=data.get("featured", False),
            partner=data["partner"],
            status=Report.Status.PUBLISHED,
            publish_at=timezone.now(),
        )
        credits = [organisations[key].name for key, role in data["organisations"]]
        pdf = build_pdf(
            data["title"],
            tuple(
                filter(
                    None,
                    (data.get("subtitle"), "Massachusetts IECMH Workforce Partnership", *credits),
                )
            ),
        )
        report_attach_pdf(
            report=report, pdf=SimpleUploadedFile(f"{data['slug']}.pdf", pdf, "application/pdf")
        )
        report.save()
        report.topics.set([topics[key] for key in data["topics"]])
        roles = Role.objects.all()
        if data["roles"] != "all":
            roles = roles.filter(slug__in=data["roles"])
        report.roles.set(roles)
        for order, (key, role) in enumerate(data["organisations"]):
            ReportOrganisation.objects.create(
                report=report, organisation=organisations[key], role=role, order=order
            )
        created_count += 1
    stdout.write(f"Reports: {created_count} created, {len(REPORTS) - created_count} already there.")
