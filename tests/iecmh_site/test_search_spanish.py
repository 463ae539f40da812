"""The site search in Spanish: each item indexed in every language it is written in, accents
that do not matter, Spanish stemming, and a Spanish visitor given Spanish results first.

Runs on the database the suite runs on: SQLite (FTS5) by default, PostgreSQL (text search,
iecmh_spanish / iecmh_english) with DATABASE_URL=postgres://...; the Spanish stemming of
PostgreSQL has tests of its own. English search is test_search.py's and
test_search_relevance.py's, unchanged.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from iecmh_site import search
from iecmh_site.search import SearchEntry, query_terms
from pages.search import documents as page_documents
from tests.factories import make_page, make_report

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Spanish stemming is PostgreSQL's"
)


def found(query, language="es", **options) -> list[tuple[str, str, str]]:
    """(title, url, language) of every result, best group first, best first in each."""
    results = search.search(query, user=AnonymousUser(), per_group=50, language=language, **options)
    return [(hit.title, hit.url, hit.language) for group in results.groups for hit in group.hits]


def titles(query, language="es") -> list[str]:
    return [title for title, _url, _language in found(query, language)]


def entries() -> set[tuple[str, str, str]]:
    return set(SearchEntry.objects.values_list("language", "title", "url"))


# ---- what is indexed: every language an item is written in ----


def test_a_translated_item_has_a_spanish_entry_from_its_spanish_fields_at_its_es_address():
    page = make_page(
        "Training",
        title_es="Formación",
        summary="Hours for the Endorsement.",
        summary_es="Horas para la Endorsement.",
        body="<p>Reflective supervision.</p>",
        body_es="<p>Supervisión <em>reflexiva</em>.</p>",
    )
    make_page("Contact")  # not translated: English only

    english, spanish = page_documents(page)

    assert (english.language, english.title, english.url) == ("en", "Training", "/training/")
    assert (spanish.language, spanish.title, spanish.url) == ("es", "Formación", "/es/training/")
    assert spanish.summary == "Horas para la Endorsement."
    assert spanish.body == "Supervisión reflexiva."
    assert entries() == {
        ("en", "Training", "/training/"),
        ("es", "Formación", "/es/training/"),
        ("en", "Contact", "/contact/"),
    }


def test_the_english_entry_stays_english_when_saved_on_a_spanish_page():
    page = make_page("Training", title_es="Formación")
    SearchEntry.objects.all().delete()

    with translation.override("es"):  # as the admin would, were it under /es/
        page.save()

    assert entries() == {("en", "Training", "/training/"), ("es", "Formación", "/es/training/")}


def test_the_spanish_entry_comes_and_goes_with_the_translation():
    page = make_page("Training", body="<p>Reflective supervision.</p>")
    assert titles("formación") == []

    page.title_es = "Formación"
    page.save()
    assert found("formación") == [("Formación", "/es/training/", "es")]

    page.title_es = None
    page.save()
    assert found("formación") == []
    assert entries() == {("en", "Training", "/training/")}


def test_rebuild_indexes_every_language(capsys):
    make_page("Training", title_es="Formación")
    make_report("Mapping", title_es="Mapeo")
    make_page("Contact")
    SearchEntry.objects.all().delete()

    call_command("rebuild_search_index")

    assert "5 entries (en: 3, es: 2)" in capsys.readouterr().out
    assert found("mapeo") == [("Mapeo", "/es/reports/mapping/", "es")]


def test_the_spanish_entries_are_added_when_the_languages_migration_is_applied():
    make_page("Training", title_es="Formación")
    SearchEntry.objects.filter(language="es").delete()  # as indexed before Spanish

    class Migration:
        app_label, name = "iecmh_site", "0005_search_languages"

    search.rebuild_after_migrate(plan=[(Migration(), False)])

    assert found("formación") == [("Formación", "/es/training/", "es")]


# ---- accents and stemming ----


def test_query_words_drop_the_stop_words_of_the_visitors_language():
    assert query_terms("Formación de los bebés", "es") == ["formación", "bebés"]
    assert query_terms("qué es la supervisión", "es") == ["supervisión"]
    assert query_terms("más formación", "es") == ["más", "formación"]  # "mas", a word
    assert query_terms("the training of bebés", "es") == ["training", "bebés"]
    assert query_terms("Formación de los bebés") == ["formación", "de", "los", "bebés"]


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Educación de la primera infancia", "educacion"),
        ("Educacion de la primera infancia", "educación"),
        ("Salud mental de los bebés", "bebes"),
        ("Salud mental de los bebes", "bebés"),
        ("Salud mental de los bebés", "los BEBÉS de"),  # case and stop words
    ],
)
def test_accents_do_not_matter_in_spanish(written, typed):
    make_page("Training", title_es=written)

    assert titles(typed) == [written]


def test_accents_do_not_matter_in_english_either():
    make_page("Celebrate the bebés of Boston")

    assert titles("bebes", language="en") == ["Celebrate the bebés of Boston"]


def test_plural_and_singular_find_each_other():
    make_page("Training", title_es="Formación para supervisores")

    assert titles("formaciones") == ["Formación para supervisores"]


@postgresql_only
@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Visitadores a domicilio", "visitas"),
        ("Capacitaciones en línea", "capacitar"),
        ("Recursos educativos", "educativa"),
        ("Las familias primero", "familia"),
    ],
)
def test_spanish_stemming_on_postgresql(written, typed):
    make_page("Training", title_es=written)

    assert titles(typed) == [written]
    assert titles(typed, language="en") == []  # English entries only, and this one has none


# ---- a Spanish visitor: Spanish first, English where there is no Spanish ----


def test_spanish_entries_first_then_english_of_items_without_a_spanish_match_each_once():
    # In English "Boston" is in the titles: the English entries rank higher than the
    # Spanish one, which has it only in its body.
    make_page(
        "Boston training",
        slug="training",
        title_es="Formación",
        summary_es="Horas de formación.",
        body_es="<p>Sesiones en Boston.</p>",
    )
    make_page("Boston groups", slug="groups")  # not translated
    # Translated, without "Boston" in Spanish: its English entry stands for it.
    make_page("Boston advocacy", slug="advocacy", title_es="Incidencia", summary_es="Leyes.")

    spanish = found("Boston")

    assert spanish[0] == ("Formación", "/es/training/", "es")
    assert sorted(spanish[1:]) == [
        ("Boston advocacy", "/advocacy/", "en"),
        ("Boston groups", "/groups/", "en"),
    ]
    assert sorted(found("Boston", language="en")) == [
        ("Boston advocacy", "/advocacy/", "en"),
        ("Boston groups", "/groups/", "en"),
        ("Boston training", "/training/", "en"),
    ]


def test_spanish_results_are_counted_once_per_item_and_their_kind_comes_first():
    make_page("Boston", body="<p>Boston, Boston.</p>")  # the better match, in English
    make_report("Mapping", title_es="Mapeo", summary_es="Fuerzas de la región de Boston.")
    make_report("Boston report", title_es="Informe de Boston")  # in both: its Spanish entry

    results = search.search("Boston", user=AnonymousUser(), language="es")
    english = search.search("Boston", user=AnonymousUser(), language="en")

    assert [(group.kind.name, group.count) for group in results.groups] == [
        ("reports", 2),
        ("pages", 1),
    ]
    assert {hit.language for hit in results.groups[0].hits} == {"es"}
    assert [(group.kind.name, group.count) for group in english.groups] == [
        ("pages", 1),
        ("reports", 1),
    ]


def test_english_entries_are_matched_as_english_for_a_spanish_visitor():
    make_page("Training", body="<p>Trainings for home visitors.</p>")  # not translated

    assert titles("trainings visitor") == ["Training"]  # English stemming
    # "los" is dropped, not asked of the English text (nor left out as a word not found).
    results = search.search("los trainings", user=AnonymousUser(), language="es")
    assert (results.terms, results.count, results.matched_all) == (["trainings"], 1, True)


def test_without_every_word_spanish_still_comes_first():
    make_page("Training", title_es="Formación", body_es="<p>En Boston.</p>")
    make_page("Boston groups", slug="groups")

    assert found("Boston astronomía") == [
        ("Formación", "/es/training/", "es"),
        ("Boston groups", "/groups/", "en"),
    ]


def test_a_spanish_search_costs_what_an_english_one_does():
    for number in range(5):
        make_page(f"Boston {number}", title_es=f"Boston en español {number}")
        make_page(f"Boston groups {number}")

    def queries(language):
        with CaptureQueriesContext(connection) as captured:
            search.search("Boston", user=AnonymousUser(), language=language)
        return len(captured)

    queries("en")  # lists the unpublished pages, kept until the next save
    assert queries("es") == queries("en")


def test_an_unknown_language_searches_english():
    make_page("Training", title_es="Formación", summary_es="Horas.")

    assert found("training", language="fr") == [("Training", "/training/", "en")]
    assert found("training", language="es-mx") == [("Training", "/training/", "en")]
    assert found("formación", language="es-mx") == [("Formación", "/es/training/", "es")]


# ---- the search page ----


def test_the_spanish_search_page_gives_spanish_results_first_with_es_addresses(client):
    make_page(
        "Boston training", slug="training", title_es="Formación en Boston", summary_es="Horas."
    )
    make_page("Boston groups", slug="groups")  # not translated

    spanish = client.get("/es/search/", {"q": "boston"}).content.decode()
    english = client.get("/search/", {"q": "boston"}).content.decode()

    assert spanish.index('<a href="/es/training/">Formación en Boston</a>') < spanish.index(
        '<a href="/groups/" hreflang="en">Boston groups</a>'
    )
    assert '<li class="card" lang="en">' in spanish
    assert "Boston training" not in spanish  # its Spanish entry stands for it
    assert "/es/" not in english.split("<main", 1)[-1].split("</main>")[0]
    assert ">Boston training</a>" in english and "Formación" not in english
    assert 'lang="en"' not in english.split("<main", 1)[-1].split("</main>")[0]
