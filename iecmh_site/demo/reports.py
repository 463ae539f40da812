"""Demo reports: the flagship workforce mapping and a few more, each with a PDF made here.

Every entry is marked sample: the flagship's title, producers, funder and purpose are real,
but its date and PDF are stand-ins; the other two are invented.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from iecmh_site.demo.pdf import build_document
from iecmh_site.demo.spanish import spanish, spanish_fill
from iecmh_site.vocabulary import Partner, Role
from reports.models import Organization, Report, ReportOrganization, Topic
from reports.services import report_save

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

ORGANIZATIONS = {
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
        "organizations": [("mspcc", "produced_by"), ("bu", "produced_by"), ("tbf", "funded_by")],
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
        "organizations": [("mspcc", "produced_by"), ("massaimh", "in_partnership_with")],
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
            "<p>Endorsement recognizes professionals' growing competence in IECMH.</p>"
            "<p>Reflective supervision and consultation support professionals over time.</p>"
        ),
        "year": 2022,
        "topics": ["training", "workforce"],
        "roles": ["behavioral-health-clinicians", "pediatricians"],
        "partner": Partner.MASSAIMH,
        "organizations": [("massaimh", "produced_by"), ("mspcc", "in_partnership_with")],
    },
]


# The flagship in Spanish, as the home page shows it; its title is the report's own name and
# stays in English. The invented reports stay in English, and their pages say so.
SPANISH = {
    FLAGSHIP_SLUG: {
        "title": "A Mapping of Workforce Assets and Needs: Massachusetts IECMH",
        "summary": (
            "Identifica las fortalezas de la fuerza laboral de salud mental infantil y de la "
            "primera infancia y de atención relacional en Massachusetts, y las barreras que "
            "enfrenta, como base para que las políticas públicas y la incidencia fortalezcan las "
            "capacitaciones y la infraestructura de esa fuerza laboral."
        ),
        "key_findings": (
            "<p>El mapeo describe los recursos con los que ya cuenta la fuerza laboral de IECMH "
            "y de atención relacional de Massachusetts para seguir avanzando.</p>"
            "<p>Señala las barreras que impiden a los profesionales ingresar, permanecer y "
            "crecer en este trabajo.</p>"
            "<p>Indica dónde las políticas públicas y la incidencia pueden fortalecer las "
            "capacitaciones y la infraestructura de la fuerza laboral.</p>"
        ),
    },
}


def seed(*, stdout) -> None:
    topics = {}
    for key, (name, description) in TOPICS.items():
        topics[key], _ = Topic.objects.get_or_create(
            slug=key, defaults={"name": name, "description": description}
        )
    organizations = {}
    for key, (name, url) in ORGANIZATIONS.items():
        organizations[key], _ = Organization.objects.get_or_create(name=name, defaults={"url": url})

    created_count = 0
    for data in REPORTS:
        spanish_values = SPANISH.get(data["slug"], {})
        existing = Report.objects.filter(slug=data["slug"]).first()
        if existing is not None:  # seeded before the demo had Spanish: add it where empty
            spanish_fill(existing, spanish_values)
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
            publish_at=timezone.now(),
            **spanish(spanish_values),
        )
        report.is_sample = True
        credits = [organizations[key].name for key, _credit in data["organizations"]]
        findings = tuple(
            part.removeprefix("<p>").strip() for part in data["key_findings"].split("</p>") if part
        )
        pdf = build_document(
            data["title"],
            tuple(filter(None, (data.get("subtitle"), *credits))),
            [
                ("Summary", (data["summary"],)),
                ("Key findings", findings),
                (
                    "About this document",
                    (
                        "This is a stand-in PDF made by the website's demo content, so that the "
                        "report pages can be tried. It is not the report itself, and the "
                        "partnership replaces it with the published report.",
                    ),
                ),
            ],
        )
        report.pdf = SimpleUploadedFile(f"{data['slug']}.pdf", pdf, "application/pdf")
        report_save(report=report, pdf_changed=True, cover_changed=False)
        report.topics.set([topics[key] for key in data["topics"]])
        roles = Role.objects.all()
        if data["roles"] != "all":
            roles = roles.filter(slug__in=data["roles"])
        report.roles.set(roles)
        for order, (key, credit) in enumerate(data["organizations"]):
            ReportOrganization.objects.create(
                report=report, organization=organizations[key], credit=credit, order=order
            )
        created_count += 1
    stdout.write(f"Reports: {created_count} created, {len(REPORTS) - created_count} already there.")
