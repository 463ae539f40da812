from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pages.models import Page
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def test_url_is_the_path_of_slugs():
    efforts = make_page("The Efforts")
    training = make_page("Training", parent=efforts)

    assert training.get_absolute_url() == "/the-efforts/training/"


def test_published_excludes_drafts_and_future_pages():
    live = make_page("Live")
    make_page("Draft", publish_at=None)
    make_page("Scheduled", publish_at=timezone.now() + timedelta(days=1))

    assert list(Page.objects.published()) == [live]


@pytest.mark.parametrize(
    "dirty",
    [
        '<p>Hi</p><script>alert("x")</script>',
        '<p onclick="alert(1)">Hi</p>',
        '<p>Hi<img src="x" onerror="alert(1)"></p>',
        '<p><a href="javascript:alert(1)">Hi</a></p>',
    ],
)
def test_body_is_sanitized_on_save(dirty):
    page = make_page("Sanitized", body=dirty)
    page.refresh_from_db()

    assert "script" not in page.body
    assert "onclick" not in page.body
    assert "onerror" not in page.body
    assert "javascript:" not in page.body
    assert "Hi" in page.body


def test_sanitizer_keeps_the_formatting_the_editor_offers():
    html = '<h2>Title</h2><p><strong>a</strong> <em>b</em> <a href="https://x.org/">c</a></p>'

    page = make_page("Formatted", body=html)

    assert page.body.startswith("<h2>Title</h2><p><strong>a</strong> <em>b</em>")
    assert 'href="https://x.org/"' in page.body


def test_hero_image_requires_alt_text():
    page = Page(
        title="T",
        slug="t",
        summary="s",
        hero_alt=" ",
        hero_image="pages/heroes/x.jpg",
        hero_width=10,
        hero_height=10,
    )

    with pytest.raises(ValidationError) as error:
        page.clean()

    assert "hero_alt" in error.value.message_dict


def test_top_level_page_cannot_take_an_app_address():
    page = Page(title="Reports", slug="reports", summary="s")

    with pytest.raises(ValidationError) as error:
        page.clean()

    assert "slug" in error.value.message_dict


def test_page_cannot_be_its_own_ancestor():
    parent = make_page("Parent")
    child = make_page("Child", parent=parent)
    parent.parent = child

    with pytest.raises(ValidationError):
        parent.clean()
