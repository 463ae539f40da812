"""What a Spanish reader sees under /es/: the interface in Spanish (the catalogue compiled in
locale/es), error pages in Spanish, a sitemap of both languages, links that stay in Spanish."""

from html.parser import HTMLParser

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.test import Client
from django.urls import path

from iecmh_site.urls import urlpatterns as site_urlpatterns
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("boom")


# Before the site's own: the pages' catch-all would take /test-500/ for a page's address.
urlpatterns = [*i18n_patterns(path("test-500/", broken)), *site_urlpatterns]


class Links(HTMLParser):
    """The <a href> of a page, with their hreflang."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], attrs.get("hreflang")))


def internal_links(html: str, language: str) -> list[str]:
    """Addresses on this site a reader follows: not files, not the switch to the other
    language (a link with another hreflang)."""
    parser = Links()
    parser.feed(html)
    return [
        href
        for href, hreflang in parser.links
        if href.startswith("/")
        and not href.startswith(("/static/", "/media/"))
        and hreflang in (None, language)
    ]


def test_spanish_home_page_speaks_spanish(client, tree):
    html = client.get("/es/").content.decode()

    assert '<html lang="es">' in html
    assert "Saltar al contenido principal" in html
    assert "Hacemos crecer la fuerza laboral en salud mental infantil" in html
    assert "A quiénes apoyamos" in html
    assert "Visitadores domiciliarios" in html  # a role, from the catalogue
    assert "Buscar en el sitio" in html
    assert "Una alianza de" in html  # the footer
    assert "Skip to main content" not in html
    assert "Who we support" not in html


def test_english_home_page_stays_english(client, tree):
    html = client.get("/").content.decode()

    assert "Skip to main content" in html
    assert "Who we support" in html
    assert "Saltar al contenido principal" not in html


def test_spanish_page_of_untranslated_content_says_so_and_marks_the_english(client, tree):
    html = client.get("/es/the-efforts/").content.decode()

    assert "Esta página todavía no está disponible en español" in html
    assert '<h1 lang="en">The Efforts</h1>' in html
    assert "En esta sección" in html
    assert "De MSPCC y MassAIMH. Última actualización" in html


def test_spanish_page_of_translated_content_shows_it_without_the_note(client):
    make_page("Our Work", title_es="Nuestro trabajo", summary_es="Quiénes somos.")

    html = client.get("/es/our-work/").content.decode()

    assert "<h1>Nuestro trabajo</h1>" in html
    assert "Quiénes somos." in html
    assert "no está disponible en español" not in html
    assert 'lang="en">Our Work' not in html


def test_spanish_pages_link_to_spanish_pages(client, tree):
    for url in ["/es/", "/es/the-efforts/", "/es/the-efforts/training/", "/es/search/"]:
        links = internal_links(client.get(url).content.decode(), "es")

        assert links, url
        outside = [href for href in links if not href.startswith("/es/")]
        assert outside == [], url


def test_english_pages_link_to_english_pages(client, tree):
    links = internal_links(client.get("/the-efforts/").content.decode(), "en")

    assert links
    assert [href for href in links if href.startswith("/es/")] == []


def test_spanish_search_page(client, tree):
    html = client.get("/es/search/", {"q": "reflective"}).content.decode()

    assert "<h1>Buscar</h1>" in html
    assert "resultado para “reflective”" in html


def test_spanish_404_is_in_spanish(client):
    response = client.get("/es/no-such-page-anywhere/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "<h1>Página no encontrada</h1>" in html
    assert 'href="/es/">Ir a la página de inicio</a>' in html
    assert 'href="/es/search/">Buscar en el sitio</a>' in html


def test_english_404_stays_english(client):
    html = client.get("/no-such-page-anywhere/").content.decode()

    assert "<h1>Page not found</h1>" in html


def test_spanish_500_is_in_spanish(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    response = client.get("/es/test-500/")

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "<h1>Algo salió mal</h1>" in html
    assert '<a href="/es/">Ir a la página de inicio</a>' in html


def test_sitemap_lists_both_languages_with_hreflang_alternates(
    client, settings, tree, read_sitemap
):
    xml = read_sitemap()
    site = settings.SITE_URL

    assert f"<loc>{site}/the-efforts/training/</loc>" in xml
    assert f"<loc>{site}/es/the-efforts/training/</loc>" in xml
    assert f"<loc>{site}/es/</loc>" in xml
    for hreflang, url in [
        ("en", f"{site}/the-efforts/training/"),
        ("es", f"{site}/es/the-efforts/training/"),
        ("x-default", f"{site}/the-efforts/training/"),
    ]:
        assert f'<xhtml:link rel="alternate" hreflang="{hreflang}" href="{url}"/>' in xml
    assert f"<loc>{site}/es/reports/</loc>" in xml
