import pytest

from tests.factories import make_page

pytestmark = pytest.mark.django_db


def test_search_finds_a_page_by_a_word_in_its_body(client):
    make_page("Training", body="<p>Pathways to the endorsement credential.</p>")
    make_page("Unrelated", body="<p>Nothing to see.</p>")

    response = client.get("/search/", {"q": "endorsement"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/training/">Training</a>' in html
    assert "Unrelated" not in html
    assert "1 result for" in html


def test_search_ignores_drafts(client):
    make_page("Hidden", status="draft", body="<p>endorsement</p>")

    html = client.get("/search/", {"q": "endorsement"}).content.decode()

    assert "0 results" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 5000},
        {"q": "\x00\x01<script>"},
        {"q": "' OR 1=1 --"},
        {"q": "!!! & | :*"},
        {"q": "training", "page": "999999"},
        {"q": "training", "page": "-1"},
        {"q": "training", "page": "abc"},
    ],
)
def test_absurd_queries_are_answered_gracefully(client, params):
    make_page("Training", body="<p>training</p>")

    response = client.get("/search/", params)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_search_results_are_paginated(client):
    for i in range(23):
        make_page(f"Training {i}", body="<p>reflective practice</p>")

    first = client.get("/search/", {"q": "reflective"}).content.decode()
    third = client.get("/search/", {"q": "reflective", "page": 3}).content.decode()

    assert "23 results" in first
    assert "Page 1 of 3" in first
    assert third.count('class="card"') == 3
