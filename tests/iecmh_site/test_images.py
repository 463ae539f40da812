"""Pictures: refused at upload when unusable, processed by a job otherwise."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from iecmh_site.images import check_picture
from iecmh_site.tasks import hero_picture_save
from pages.models import Page
from tests import hostile
from tests.factories import image_bytes, make_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (hostile.png_claiming(8900, 8900), "8900 × 8900 pixels; the largest accepted is 40"),
        (image_bytes((65000, 1)), "65000 × 1 pixels: too long and thin"),
        (image_bytes((1, 65000)), "1 × 65000 pixels: too long and thin"),
        (b"<svg onload=alert(1)>", "not a picture we can use"),
        (image_bytes((10, 10), "GIF"), "this one is GIF"),
    ],
    ids=["79-megapixels", "wide", "tall", "svg", "gif"],
)
def test_unusable_pictures_are_refused_at_upload_from_their_header(content, message):
    with pytest.raises(ValidationError) as error:
        check_picture(SimpleUploadedFile("picture.png", content))

    assert message in " ".join(error.value.messages)


def test_a_picture_that_fails_processing_leaves_nothing_behind(run_jobs, settings):
    page = make_page("Our Work")
    broken = hostile.png_claiming(400, 300)  # a sane header over pixels that do not decode
    page.hero_image = SimpleUploadedFile("hero.png", broken)
    page.hero_alt = "A picture"
    hero_picture_save(page, changed=True)
    stored = settings.MEDIA_ROOT / page.hero_image.name
    assert stored.exists()

    run_jobs()

    page = Page.objects.get(pk=page.pk)
    assert not page.hero_image and not page.hero_ready
    assert page.hero_problem.startswith("The picture could not be used:")
    assert not stored.exists()
    assert list(stored.parent.iterdir()) == []


def test_processing_strips_what_hides_after_the_pixels(run_jobs):
    page = make_page("Our Work")
    page.hero_image = SimpleUploadedFile("hero.png", image_bytes((800, 400)) + b"<?php evil(); ?>")
    page.hero_alt = "Teal"
    hero_picture_save(page, changed=True)
    run_jobs()

    page = Page.objects.get(pk=page.pk)
    assert page.hero_ready and (page.hero_width, page.hero_height) == (800, 400)
    assert b"evil" not in page.hero_image.read()
