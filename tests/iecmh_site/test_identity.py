"""Who runs the site and how to reach them (edited by staff), and honest demo content."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from iecmh_site.identity import PartnerLogo, SiteSettings
from iecmh_site.images import hero_picture_process
from iecmh_site.tasks import hero_picture_save
from pages.models import Page
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


def test_the_footer_kept_between_saves_is_each_languages_own(contact):
    def footer(address):
        return Client().get(address).text.split('class="site-footer"')[1]

    # Kept by the first page of each language, then shown by the others.
    for _ in range(2):
        english, spanish = footer("/events/"), footer("/es/reports/")
        assert 'action="/newsletter/"' in english and "Join our mailing list" in english
        assert 'action="/es/newsletter/"' in spanish
        assert "Suscríbase a nuestra lista de correo" in spanish
        assert "hello@example.org" in english and "hello@example.org" in spanish


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
