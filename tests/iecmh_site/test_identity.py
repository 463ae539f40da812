"""Who runs the site and how to reach them (edited by staff), and honest demo content."""

import json
import re

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from events.models import Event
from iecmh_site.identity import PartnerLogo, SiteSettings
from iecmh_site.images import hero_picture_process
from iecmh_site.tasks import hero_picture_save
from pages.models import Page
from reports.models import Report
from tests.factories import image_bytes, make_event, make_page, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = SiteSettings.objects.create(
            contact_email="hello@example.org",
            phone="617-555-0199",
            address="1 Example Way\nBoston, MA",
        )
    return row


def test_the_contact_details_staff_set_show_in_every_footer(contact):
    html = Client().get("/reports/").text

    assert '<a href="mailto:hello@example.org">hello@example.org</a>' in html
    assert '<a href="tel:6175550199">617-555-0199</a>' in html
    assert "1 Example Way<br>Boston, MA" in html
    assert "sample-badge" not in html.split("site-footer")[1]


def test_the_contact_page_shows_them_and_changes_show_at_once(
    contact, staff_client, django_capture_on_commit_callbacks
):
    make_page("Contact us", slug="contact", show_contact_details=True)
    assert "How to reach us" in Client().get("/contact/").text

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/iecmh_site/sitesettings/{contact.pk}/change/",
            {
                "contact_email": "team@example.org",
                "phone": "617-555-0142",
                "address": "2 Example Way\nBoston, MA",
                "contact_note": "",
                "footer_text": "",
                "hero_alt": "",
                "partners-TOTAL_FORMS": "0",
                "partners-INITIAL_FORMS": "0",
                "social-TOTAL_FORMS": "1",
                "social-INITIAL_FORMS": "0",
                "social-0-network": "linkedin",
                "social-0-url": "https://www.linkedin.com/company/example",
                "social-0-order": "0",
            },
        )

    assert response.status_code == 302, response.context["errors"]
    html = Client().get("/contact/").text
    assert "team@example.org" in html and "hello@example.org" not in html
    assert '<a href="https://www.linkedin.com/company/example">LinkedIn</a>' in html


def test_site_settings_are_one_row_that_editors_keep(staff_client, contact):
    listing = staff_client.get("/admin/iecmh_site/sitesettings/")

    assert listing.status_code == 302 and listing.url.endswith(f"/{contact.pk}/change/")
    assert staff_client.get("/admin/iecmh_site/sitesettings/add/").status_code == 403
    delete = f"/admin/iecmh_site/sitesettings/{contact.pk}/delete/"
    assert staff_client.get(delete).status_code == 403


def test_logos_are_processed_then_shown_with_their_names(
    contact, run_jobs, django_capture_on_commit_callbacks
):
    logo = PartnerLogo(
        settings=contact,
        name="MSPCC",
        url="https://www.mspcc.org/",
        hero_image=SimpleUploadedFile("mspcc.png", image_bytes((300, 100))),
        hero_alt="MSPCC",
    )
    hero_picture_save(logo, changed=True)
    assert 'alt="MSPCC"' not in Client().get("/events/").text  # not before it is processed
    with django_capture_on_commit_callbacks(execute=True):
        run_jobs()

    html = Client().get("/events/").text
    assert re.search(r'<a href="https://www.mspcc.org/">\s*<img src="[^"]+" [^>]*alt="MSPCC"', html)


def test_a_picture_credit_shows_and_a_decoration_has_empty_alt(run_jobs):
    picture = SimpleUploadedFile("p.png", image_bytes((800, 400)))
    make_page(
        "Credited",
        hero_image=picture,
        hero_alt="Two home visitors",
        hero_credit="Photo: A. Rivera for MSPCC",
    )
    make_page(
        "Decorated",
        hero_image=SimpleUploadedFile("d.png", image_bytes((800, 400))),
        hero_decorative=True,
    )
    for page in Page.objects.all():
        hero_picture_process(page)

    credited = Client().get("/credited/").text
    decorated = Client().get("/decorated/").text

    assert 'alt="Two home visitors"' in credited
    assert '<figcaption class="picture-credit">Photo: A. Rivera for MSPCC</figcaption>' in credited
    assert re.search(r'<img class="hero-image" [^>]*alt=""', decorated)


def test_sample_content_is_marked_and_never_cited_nor_given_to_search_engines():
    real = make_report("A real report")
    sample = make_report("A made-up report", is_sample=True)
    event = make_event("A made-up training", is_sample=True)

    real_html = Client().get(real.get_absolute_url()).text
    sample_html = Client().get(sample.get_absolute_url()).text
    event_html = Client().get(event.get_absolute_url()).text

    assert "Cite this report" in real_html and "application/ld+json" in real_html
    for html in (sample_html, event_html):
        assert '<p class="sample-note"><span class="sample-badge">Sample</span>' in html
        assert "application/ld+json" not in html
    assert "Cite this report" not in sample_html
    listing = Client().get("/reports/").text
    assert listing.count('<span class="sample-badge">Sample</span>') == 1


def test_the_admin_lists_and_filters_sample_content(staff_client):
    make_report("Made up", is_sample=True)
    make_report("Real one")

    marked = staff_client.get("/admin/reports/report/").text
    samples_only = staff_client.get("/admin/reports/report/?is_sample__exact=1").text

    assert "Published · <strong>sample</strong>" in marked
    assert "Made up" in samples_only and "Real one" not in samples_only


# ---- the demo content ----


@pytest.fixture
def demo(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("seed_demo", verbosity=0)


REAL_ACTIVITY = "celebrate-babies-week-2025-virtual-panel"


def test_only_facts_of_the_brief_are_shown_as_real(demo):
    samples = Event.objects.filter(is_sample=True)

    assert list(Event.objects.filter(is_sample=False).values_list("slug", flat=True)) == [
        REAL_ACTIVITY
    ]
    assert all(
        e.registration_url.startswith("https://example.org/") for e in samples if e.registration_url
    )
    assert not Event.objects.filter(venue_address__icontains="registration").exists()
    assert not Event.objects.filter(summary__icontains="open to everyone").exists()
    assert all(report.is_sample for report in Report.objects.all())
    assert SiteSettings.objects.get().is_sample
    home = Client().get("/").text
    assert (
        "Produced by Massachusetts Society for the Prevention of Cruelty to Children (MSPCC) "
        "and Boston University; funded by The Boston Foundation." in home
    )


def test_the_demo_keeps_the_partners_own_sentences(demo):
    need = Client().get("/the-need/").text
    week = Client().get("/celebrate-babies-week/2025/").text

    assert "The partnership plays a prominent role in preparing IECMH professionals" in need
    assert "MSPCC invites YOU to join Celebrate Babies Week" in week


def test_contact_accessibility_and_endorsement_pages(demo):
    contact = Client().get("/contact/").text
    accessibility = Client().get("/accessibility/").text
    endorsement = Client().get("/the-efforts/training/iecmh-endorsement/").text

    assert "info@example.org" in contact and "sample-badge" in contact
    assert "WCAG" in accessibility and 'href="/contact/"' in accessibility
    assert 'href="https://www.massaimh.org/"' in endorsement
    assert "Alliance for the Advancement of Infant Mental Health" in endorsement


def test_the_demo_report_pdf_is_a_readable_document_whose_cover_is_whole(demo):
    report = Report.objects.get(featured=True)
    with report.pdf.open("rb") as stored:
        document = pypdfium2.PdfDocument(stored.read())

    assert len(document) >= 3
    text = "".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
    assert "Summary" in text and "Key findings" in text and "stand-in PDF" in text
    first = document[0].render(scale=1).to_pil().convert("L")
    right_margin = first.crop((first.width - 50, 0, first.width, first.height))
    assert right_margin.getextrema()[0] > 250  # nothing runs off the page: the margin is blank
    assert report.cover_width and report.cover_height  # the cover was made from that page


def test_the_demo_activity_feeds_the_calendar_without_sample_data(demo):
    html = Client().get(Event.objects.get(slug=REAL_ACTIVITY).get_absolute_url()).text

    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S).group(1)
    )
    assert data["name"] == "Celebrate Babies Week virtual panel"
