from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pages.models import Page
from pages.services import page_save
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def test_hierarchy_url_shows_breadcrumbs_and_subnavigation(client, tree):
    response = client.get("/the-efforts/training/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<li><a href="/the-efforts/">The Efforts</a></li>' in html
    assert '<a href="/the-efforts/training/" aria-current="page">Training</a>' in html
    assert '<a href="/the-efforts/policy-and-advocacy/">Policy &amp; Advocacy</a>' in html


def test_primary_navigation_marks_the_current_section(client, tree):
    html = client.get("/the-efforts/").content.decode()

    assert '<li><a href="/the-efforts/" aria-current="page">The Efforts</a></li>' in html


def test_wrong_parent_in_the_path_is_404(client, tree):
    assert client.get("/training/").status_code == 404


@pytest.mark.parametrize(
    "fields", [{"publish_at": None}, {"publish_at": timezone.now() + timedelta(days=2)}]
)
def test_hidden_pages_404_for_visitors_and_show_for_staff_with_a_banner(staff_client, fields):
    make_page("Secret plans", **fields)

    assert Client().get("/secret-plans/").status_code == 404
    response = staff_client.get("/secret-plans/")
    assert response.status_code == 200
    assert 'class="banner"' in response.content.decode()


def test_children_of_a_draft_are_hidden_from_visitors(client):
    draft = make_page("Hidden section", publish_at=None)
    make_page("Inside", parent=draft)

    assert client.get("/hidden-section/inside/").status_code == 404


def test_slug_change_leaves_a_permanent_redirect_for_the_page_and_its_children(client, tree):
    efforts, _training = tree
    previous = efforts.path
    efforts.slug = "our-efforts"
    page_save(page=efforts, previous_path=previous)

    response = client.get("/the-efforts/training/")

    assert response.status_code == 301
    assert response["Location"] == "/our-efforts/training/"
    assert client.get("/our-efforts/training/").status_code == 200
    assert client.get("/the-efforts/").headers["Location"] == "/our-efforts/"


def test_the_spanish_address_of_a_moved_page_follows_it_into_spanish(client, tree):
    efforts, _training = tree
    efforts.slug = "our-efforts"
    page_save(page=efforts, previous_path="the-efforts")

    response = client.get("/es/the-efforts/training/")

    assert response.status_code == 301
    assert response["Location"] == "/es/our-efforts/training/"
    assert '<html lang="es"' in client.get(response["Location"]).text
    assert (
        client.get("/es/the-efforts/?utm_source=boletin")["Location"]
        == "/es/our-efforts/?utm_source=boletin"
    )
    assert client.get("/es/never-was/").status_code == 404


def test_moving_a_page_back_does_not_loop(client, tree):
    efforts, _ = tree
    efforts.slug = "renamed"
    page_save(page=efforts, previous_path="the-efforts")
    efforts.slug = "the-efforts"
    page_save(page=efforts, previous_path="renamed")

    assert client.get("/the-efforts/").status_code == 200
    assert client.get("/renamed/").headers["Location"] == "/the-efforts/"


def test_page_has_seo_and_sharing_tags(client, settings):
    make_page("Our Work", summary="Who we are.", seo_description="A better description.")

    html = client.get("/our-work/").content.decode()

    assert '<html lang="en">' in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}/our-work/">' in html
    assert '<meta name="description" content="A better description.">' in html
    assert '<meta property="og:title" content="Our Work">' in html
    assert 'property="og:image"' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def _build_tree(count):
    root = make_page("Section", show_in_navigation=True)
    pages = [
        Page(
            title=f"Page {i}",
            slug=f"page-{i}",
            parent=root,
            path=f"section/page-{i}",
            summary="s",
            publish_at=timezone.now(),
        )
        for i in range(count)
    ]
    Page.objects.bulk_create(pages)
    for i in range(count // 10):
        make_page(f"Top {i}", show_in_navigation=True)


@pytest.mark.parametrize("count", [10, 200])
def test_page_query_count_does_not_grow_with_the_tree(client, django_assert_max_num_queries, count):
    _build_tree(count)

    with django_assert_max_num_queries(8):
        assert client.get("/section/page-3/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/section/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
