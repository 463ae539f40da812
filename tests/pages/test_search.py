"""What the site search holds for a page (pages/search.py)."""

import pytest

from pages.search import documents
from tests.factories import make_page

pytestmark = pytest.mark.django_db


def test_a_page_document_is_its_words_without_markup():
    efforts = make_page("The Efforts")
    page = make_page(
        "Training",
        parent=efforts,
        summary="Professional development for the five roles.",
        body="<h2>The IECMH Endorsement®</h2><p>Yearly&nbsp;training <em>hours</em>.</p>",
        seo_description="Trainings for the IECMH workforce.",
    )

    (document,) = documents(page)

    assert (document.title, document.url, document.label) == (
        "Training",
        "/the-efforts/training/",
        "Page",
    )
    assert document.summary == "Professional development for the five roles."
    assert document.keywords == "Trainings for the IECMH workforce."
    assert document.body == "The IECMH Endorsement® Yearly training hours."


def test_a_translated_page_has_a_spanish_document_at_its_es_address():
    page = make_page(
        "Training",
        title_es="Formación",
        body_es="<p>Horas de <em>formación</em>.</p>",
        seo_description_es="Formación para la fuerza laboral.",
    )

    english, spanish = documents(page)

    assert (english.language, english.title, english.url) == ("en", "Training", "/training/")
    assert (spanish.language, spanish.title, spanish.url) == ("es", "Formación", "/es/training/")
    assert spanish.body == "Horas de formación."
    assert spanish.keywords == "Formación para la fuerza laboral."
