import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from pages.models import Page
from tests.factories import image_bytes, in_english, make_page

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "New page",
        "slug": "new-page",
        "parent": "",
        "summary": "A summary.",
        "body": "<p>Body</p>",
        "hero_alt": "",
        "publish_at_0": timezone.localdate().isoformat(),
        "publish_at_1": "00:00:00",
        "review_by": "",
        "partner": "both",
        "navigation_order": "100",
        "seo_title": "",
        "seo_description": "",
    }
    return in_english(Page, data | overrides)


def test_editor_creates_a_page_with_a_hero_image_and_renditions(admin_client, run_jobs):
    upload = SimpleUploadedFile(
        "Hero Photo!.png", image_bytes((1200, 600)), content_type="image/png"
    )

    response = admin_client.post(
        "/admin/pages/page/add/", form_data(hero_image=upload, hero_alt="Babies playing")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    page = Page.objects.get(slug="new-page")
    assert page.hero_image.name.endswith("hero-photo.png")
    assert "srcset" not in admin_client.get("/new-page/").text  # shown once processed
    assert run_jobs() == 1
    page.refresh_from_db()
    assert (page.hero_width, page.hero_height) == (1200, 600)
    html = admin_client.get("/new-page/").content.decode()
    srcset = re.search(r'srcset="([^"]+)"', html).group(1)
    renditions = [entry.rsplit(" ", 1) for entry in srcset.split(", ")]
    assert [width for _url, width in renditions] == ["480w", "960w", "1200w"]
    for url, width in renditions:  # each one was made, at its width, as WebP
        with Image.open(io.BytesIO(admin_client.get(url).getvalue())) as rendition:
            assert (rendition.format, f"{rendition.width}w") == ("WEBP", width)
    assert 'width="1200" height="600" alt="Babies playing"' in html


def test_a_fake_image_is_refused_with_a_clear_error(admin_client):
    fake = SimpleUploadedFile("hero.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = admin_client.post("/admin/pages/page/add/", form_data(hero_image=fake, hero_alt="x"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Upload a valid image" in html or "not an image we can use" in html
    assert not Page.objects.exists()


def test_changing_a_slug_in_the_admin_keeps_the_old_address(admin_client, client):
    page = make_page("Old name")

    admin_client.post(
        f"/admin/pages/page/{page.pk}/change/", form_data(title="New name", slug="new-name")
    )

    assert client.get("/old-name/").headers["Location"] == "/new-name/"


def test_list_shows_status_and_filters_pages_needing_review(admin_client):
    make_page("Stale", review_by=timezone.localdate().replace(year=2020))
    make_page("Fresh", review_by=timezone.localdate().replace(year=2099))

    html = admin_client.get("/admin/pages/page/", {"review": "needed"}).content.decode()

    assert "Stale" in html
    assert "Fresh" not in html


def test_bulk_publish_and_unpublish(admin_client):
    draft = make_page("Draft", publish_at=None)

    admin_client.post(
        "/admin/pages/page/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_published

    admin_client.post("/admin/pages/page/", {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_draft


def test_editor_in_the_editors_group_can_edit_pages(staff_client):
    page = make_page("Editable")

    response = staff_client.get(f"/admin/pages/page/{page.pk}/change/")

    assert response.status_code == 200
    assert "View on site" in response.content.decode()


def test_editor_cannot_manage_users(staff_client):
    assert staff_client.get("/admin/auth/user/").status_code == 403


def test_a_second_top_level_page_with_the_same_address_is_a_form_error(admin_client):
    make_page("Our Work")

    response = admin_client.post(
        "/admin/pages/page/add/", form_data(title="Our Work", slug="our-work")
    )

    assert response.status_code == 200
    assert "Another top-level page already has this address." in response.content.decode()
    assert Page.objects.filter(slug="our-work").count() == 1


def test_bulk_unpublish_clears_the_public_page_cache(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    page = make_page("Our Work")
    visitor = Client()
    visitor.get("/our-work/")
    assert visitor.get("/our-work/")["X-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/pages/page/", {"action": "unpublish", "_selected_action": [page.pk]}
        )

    assert visitor.get("/our-work/").status_code == 404
