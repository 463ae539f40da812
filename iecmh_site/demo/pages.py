"""Demo program pages, written from the facts in the content brief."""

from django.utils import timezone

from iecmh_site.demo.images import banner_jpeg
from iecmh_site.vocabulary import Partner
from pages.models import Page
from pages.services import page_save

REGISTERED_PRACTICE = (
    "Culturally Sensitive, Relationship-Focused Practice Promoting Infant and Early Childhood "
    "Mental Health®"
)

# (path, title, summary, body, show in navigation, order)
PAGES = [
    (
        "our-work",
        "Our Work",
        "Since 2019, MSPCC and MassAIMH have worked together to build a diverse infant and early "
        "childhood mental health workforce across Massachusetts.",
        f"""
<p>The Massachusetts Society for the Prevention of Cruelty to Children (MSPCC) and the
Massachusetts Association for Infant Mental Health (MassAIMH) have been partners since 2019.
Together we establish, strengthen and expand a diverse infant and early childhood mental health
(IECMH) workforce, and we drive equity so that every child in the Commonwealth has access to
IECMH supports and services.</p>
<h2>Who we support</h2>
<p>We prepare professionals in five roles who care for babies, young children and their
families:</p>
<ul>
<li><p>behavioral health clinicians</p></li>
<li><p>pediatricians and other pediatric primary-care staff</p></li>
<li><p>family partners</p></li>
<li><p>home visitors</p></li>
<li><p>early education and care practitioners</p></li>
</ul>
<h2>How we work</h2>
<p>We work closely with state partners in the Commonwealth. We create equitable access to
<em>{REGISTERED_PRACTICE}</em> while expanding the capacity of the workforce.</p>
""",
        True,
        10,
    ),
    (
        "the-need",
        "The Need",
        "Babies and young children thrive in safe, nurturing relationships. Families need a "
        "robust, diverse and well-trained workforce to support them.",
        """
<p>The partnership plays a prominent role in preparing IECMH professionals, working closely
with state partners in the Commonwealth, to establish, strengthen and expand a diverse
infant and early childhood mental health workforce.</p>
<p>The earliest years shape a lifetime. Early relational health, the thriving and wellness of
the youngest children and their families, and lessening the impact of adverse childhood
experiences (ACEs) all depend on the people who work with families every day.</p>
<h2>Equity and access</h2>
<p>Every child in the Commonwealth should be able to reach infant and early childhood mental
health supports and services, whoever they are and wherever they live. That takes a workforce
that reflects the families it serves.</p>
<h2>A robust, interdisciplinary workforce</h2>
<p>Clinicians, pediatric teams, family partners, home visitors and early educators each see
families at different moments. When they share training and a common language, families get
consistent, relationship-focused support.</p>
""",
        True,
        20,
    ),
    (
        "the-efforts",
        "The Efforts",
        "Three strands of work: training, policy and advocacy, and systems building.",
        """
<p>Our efforts run along three strands that strengthen one another. Training grows the skills
of people in the field; policy and advocacy secure the conditions they need; systems building
makes the gains last.</p>
""",
        True,
        30,
    ),
    (
        "the-efforts/training",
        "Training",
        "Statewide professional development for the five roles, and pathways to the IECMH "
        "Endorsement® credential.",
        """
<p>We offer statewide professional development trainings for behavioral health clinicians,
pediatric teams, family partners, home visitors and early education and care practitioners.</p>
<h2>The IECMH Endorsement®</h2>
<p>We support pathways to the IECMH Endorsement® credential. Staying endorsed asks for yearly
training hours and reflective supervision hours, and our trainings and reflective consultation
groups help professionals meet them.</p>
<p>Read <a href="/the-efforts/training/iecmh-endorsement/">how the IECMH Endorsement® works</a>,
and see upcoming sessions on the <a href="/professional-development/">professional
development</a> page.</p>
""",
        False,
        10,
    ),
    (
        "the-efforts/training/iecmh-endorsement",
        "The IECMH Endorsement®",
        "The IECMH Endorsement® is a credential for professionals who work with infants, young "
        "children and their families. In Massachusetts it is pursued through MassAIMH.",
        """
<p>The IECMH Endorsement® recognizes the knowledge and experience of professionals who work
with infants, young children and their families, whatever their discipline.</p>
<h2>Pursuing it in Massachusetts</h2>
<p>The Massachusetts Association for Infant Mental Health (MassAIMH) is the Massachusetts member
of the Alliance for the Advancement of Infant Mental Health. Professionals in Massachusetts
pursue the IECMH Endorsement® through MassAIMH.</p>
<h2>Staying endorsed</h2>
<p>Staying endorsed asks for yearly training hours and reflective supervision hours. The
partnership's trainings and reflective consultation groups help professionals meet them.</p>
<p><a href="https://www.massaimh.org/">Learn about the IECMH Endorsement® and apply at
MassAIMH</a>.</p>
""",
        False,
        15,
    ),
    (
        "the-efforts/policy-and-advocacy",
        "Policy & Advocacy",
        "Advocacy for the policies and infrastructure that a strong IECMH workforce needs.",
        """
<p>We take part in bi-monthly advocacy meetings with the Children's Mental Health Campaign, and
we use evidence about the workforce to press for stronger trainings and infrastructure.</p>
<p>Our workforce report, <a href="/reports/">A Mapping of Workforce Assets and Needs:
Massachusetts IECMH</a>, is a foundation for this work.</p>
""",
        False,
        20,
    ),
    (
        "the-efforts/systems-building",
        "Systems Building",
        "Building the structures that keep infant and early childhood mental health support "
        "available across the Commonwealth.",
        """
<p>Training and advocacy last when the systems around them change. We work with state partners
so that IECMH practice is part of the places families already go.</p>
<p>We also run reflective consultation groups, which give professionals a regular space to
reflect on their work with families.</p>
""",
        False,
        30,
    ),
    (
        "about",
        "About the partnership",
        "Who we are: a partnership of MSPCC and MassAIMH, in place since 2019.",
        """
<p>This website is run by a partnership between the Massachusetts Society for the Prevention of
Cruelty to Children (MSPCC) and the Massachusetts Association for Infant Mental Health
(MassAIMH), in place since 2019.</p>
<p>Learn more on the partners' own websites:
<a href="https://www.mspcc.org/">MSPCC</a> and
<a href="https://www.massaimh.org/">MassAIMH</a>.</p>
""",
        False,
        40,
    ),
    (
        "contact",
        "Contact us",
        "How to reach the partnership.",
        """
<p>Write, call or write to us about trainings, reports or Celebrate Babies Week. You can also
reach either partner through its own website: <a href="https://www.mspcc.org/">MSPCC</a> or
<a href="https://www.massaimh.org/">MassAIMH</a>.</p>
<p>To hear from us, <a href="/newsletter/">join our mailing list</a>.</p>
""",
        False,
        50,
    ),
    (
        "accessibility",
        "Accessibility",
        "How we make this website usable by everyone, and how to tell us when something gets "
        "in your way.",
        """
<p>We want everyone to be able to use this website, including people who use a screen reader,
a keyboard, voice control, magnification or a phone.</p>
<h2>What we aim for</h2>
<p>The website aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA.
Every page is checked automatically before each change is published, and we test the main
tasks (finding a report, an event or a training, and joining the mailing list) with a
keyboard alone.</p>
<h2>Reports in PDF</h2>
<p>Each report page gives the report's summary and key findings as web text. Some older PDF
reports may be hard to use with a screen reader; the report page says so when it is the
case.</p>
<h2>Tell us about a problem</h2>
<p>If something on this website is hard to use, or you need a report in another format,
please contact us using the details on our <a href="/contact/">Contact page</a>. We aim to
answer within five working days.</p>
""",
        False,
        60,
    ),
]

# Fields beyond the common ones, by path.
EXTRA = {
    "contact": {"show_contact_details": True},
}


# Shown as cards in the home page's featured section.
HOME_FEATURED = {
    "the-efforts/training",
    "the-efforts/policy-and-advocacy",
    "the-efforts/systems-building",
}


def seed(*, stdout) -> None:
    created_count = 0
    by_path = {}
    for path, title, summary, body, in_nav, order in PAGES:
        parent_path, _, slug = path.rpartition("/")
        parent = by_path.get(parent_path)
        page, created = Page.objects.get_or_create(
            path=path,
            defaults={
                "title": title,
                "slug": slug,
                "parent": parent,
                "summary": summary,
                "body": " ".join(body.split()),
                "publish_at": timezone.now(),
                "show_in_navigation": in_nav,
                "show_on_home": path in HOME_FEATURED,
                "navigation_order": order,
                "partner": Partner.BOTH,
                **EXTRA.get(path, {}),
            },
        )
        by_path[path] = page
        created_count += created
        if created and path == "our-work":
            page.hero_image.save("our-work.jpg", banner_jpeg("our-work.jpg"), save=False)
            page.hero_decorative = True  # a pattern: screen readers skip it
            page_save(page=page, previous_path=page.path, hero_changed=True)
    stdout.write(f"Pages: {created_count} created, {len(PAGES) - created_count} already there.")
