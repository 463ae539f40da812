import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from events.forms import CampaignAdminForm, CampaignFileForm
from events.models import Campaign, CampaignFile, Event
from events.services import campaign_file_save
from iecmh_site.tasks import hero_picture_save
from tests.factories import image_bytes, make_campaign, make_event

pytestmark = pytest.mark.django_db


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_event_changelist_with_filters(staff_client):
    make_event("Soon")
    for query in ("", "?when=upcoming", "?when=past", "?kind__exact=training", "?q=Soon"):
        response = staff_client.get(f"/admin/events/event/{query}")
        assert response.status_code == 200
    assert "Soon" in staff_client.get("/admin/events/event/?when=upcoming").text
    assert "Soon" not in staff_client.get("/admin/events/event/?when=past").text


def test_admin_shows_clear_validation_errors(staff_client):
    response = staff_client.post(
        "/admin/events/event/add/",
        {
            "title": "Bad",
            "kind": "training",
            "summary": "Bad dates.",
            "start_0": "2027-10-20",
            "start_1": "10:00",
            "end_0": "2027-10-20",
            "end_1": "09:00",
            "format": "online",
            "price": "0",
            "event_status": "going-ahead",
            "partner": "both",
        },
    )
    assert response.status_code == 200
    assert "The end must be after the start." in response.text
    assert "An online event needs a joining link" in response.text
    assert not Event.objects.exists()


def test_campaign_change_page_lists_its_events(staff_client, local):
    campaign = make_campaign()
    make_event("Panel", start=local(2025, 10, 22, 10), campaign=campaign)
    response = staff_client.get(f"/admin/events/campaign/{campaign.pk}/change/")
    assert response.status_code == 200 and "Panel" in response.text


def test_copy_to_next_year_action(staff_client, local):
    campaign = make_campaign()
    make_event("Panel", start=local(2025, 10, 22, 10), campaign=campaign)
    response = staff_client.post(
        "/admin/events/campaign/",
        {"action": "copy_to_next_year", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert "was copied to <a href=" in response.text
    copy = Campaign.objects.get(year=2026)
    assert copy.events.get().local_start.strftime("%A %H:%M") == "Wednesday 10:00"
    again = staff_client.post(
        "/admin/events/campaign/",
        {"action": "copy_to_next_year", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert "There is already a Celebrate Babies Week for 2026." in again.text


def toolkit_form(name, content):
    return CampaignFileForm(
        data={"title": "Item", "kind": "other", "order": 0},
        files={"file": SimpleUploadedFile(name, content)},
    )


def test_toolkit_files_are_checked_then_processed_before_visitors_see_them(run_jobs):
    form = toolkit_form("Proclamation 2025!.pdf", pdf_bytes())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name == "proclamation-2025.pdf"
    form = toolkit_form("card.png", image_bytes((4, 3)) + b"<script>hidden</script>")
    assert form.is_valid(), form.errors

    campaign = make_campaign()
    item = CampaignFile(campaign=campaign, title="Card", file=form.cleaned_data["file"])
    campaign_file_save(item=item, changed=True)
    assert not item.ready  # hidden from visitors until the job has run
    run_jobs()

    item.refresh_from_db()
    assert item.ready and not item.problem
    assert b"<script>" not in item.file.read()  # re-encoded: nothing hidden after the pixels


@pytest.mark.parametrize(
    "name, content",
    [
        ("evil.pdf", b"<html><script>alert(1)</script>"),
        ("a.svg", b"<svg></svg>"),
    ],
)
def test_toolkit_refuses_anything_else(name, content):
    form = toolkit_form(name, content)
    assert not form.is_valid()
    assert form.errors["file"]


def test_a_toolkit_pdf_that_does_not_open_is_removed_with_the_reason(run_jobs):
    form = toolkit_form("broken.pdf", b"%PDF-1.4 nothing else")
    assert form.is_valid()  # the form looks at the signature only; the job reads it
    item = CampaignFile(campaign=make_campaign(), title="Broken", file=form.cleaned_data["file"])
    campaign_file_save(item=item, changed=True)
    run_jobs()

    item.refresh_from_db()
    assert not item.ready and not item.file
    assert item.problem.startswith("The file was not accepted: This PDF is damaged")


def test_campaign_hero_needs_a_real_image_and_alt_text(run_jobs):
    data = {
        "name": "Celebrate Babies Week 2026",
        "year": 2026,
        "start_date": "2026-10-19",
        "end_date": "2026-10-23",
    }
    form = CampaignAdminForm(data=data, files={"hero_image": SimpleUploadedFile("a.png", b"no")})
    assert not form.is_valid() and form.errors["hero_image"]
    form = CampaignAdminForm(
        data=data, files={"hero_image": SimpleUploadedFile("a.png", image_bytes((4, 3)))}
    )
    assert not form.is_valid()
    assert form.errors["hero_alt"] == ["Describe the picture for people who cannot see it."]
    form = CampaignAdminForm(
        data={**data, "hero_alt": "A baby smiling"},
        files={"hero_image": SimpleUploadedFile("a.png", image_bytes((4, 3)))},
    )
    assert form.is_valid(), form.errors
    campaign = form.save(commit=False)
    hero_picture_save(campaign, changed=True)
    assert campaign.hero_picture is None  # not shown until processed
    run_jobs()
    campaign.refresh_from_db()
    assert (campaign.hero_width, campaign.hero_height) == (4, 3)
    assert campaign.hero_picture is not None
