import re

import pytest
from django.core import mail, signing
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from iecmh_site.vocabulary import Role
from newsletter.models import Subscriber
from newsletter.tokens import make_token
from tests.conftest import started_long_ago
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

SIGNUP = "/newsletter/"


def main(response) -> bytes:
    """The page's own content, without the site header and footer."""
    return response.content.split(b'<main id="main"', 1)[1].split(b"</main>", 1)[0]


def test_urls():
    assert reverse("newsletter:signup") == SIGNUP
    assert reverse("newsletter:privacy") == "/newsletter/privacy/"
    assert reverse("newsletter:thanks") == "/newsletter/thanks/"
    assert reverse("newsletter:resend") == "/newsletter/resend/"


def test_footer_address_prefills_the_full_form(client):
    response = client.get(SIGNUP, {"email": "from.footer@example.org"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="from.footer@example.org"' in html
    assert 'name="source" value="footer"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'href="/newsletter/privacy/"' in html


@pytest.mark.parametrize("query", ["?email=" + "x" * 5000, "?email=%01%ff", "?email=<script>"])
def test_odd_prefill_never_fails(client, query):
    response = client.get(SIGNUP + query)
    assert response.status_code == 200
    assert b"<script>" not in main(response)


def test_form_is_accessible_without_javascript(client):
    html = client.get(SIGNUP).content.decode()
    for field_id in ["id_email", "id_name", "id_organization", "id_role_other", "id_interests_0"]:
        assert f'for="{field_id}"' in html
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true">.*?</div>', html, re.S)[0]
    assert "Leave this field empty" in honeypot
    assert 'tabindex="-1"' in honeypot
    assert "style=" not in html


def test_errors_are_summarized_and_tied_to_their_fields(client, signup_data):
    response = client.post(SIGNUP, signup_data("not-an-address", interests=[]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-error-summary role="alert"' in html
    assert 'href="#id_email"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_email_error"[^>]*id="id_email"', html)
    assert 'id="id_email_error"' in html
    assert '<fieldset class="field--error" aria-describedby="id_interests_error">' in html
    assert Subscriber.objects.count() == 0


def test_signup_stores_what_the_person_chose(client, signup_data, run_jobs):
    roles = list(Role.objects.all()[:2])
    client.post(
        SIGNUP,
        signup_data("Mixed.Case@EXAMPLE.org", roles=[r.pk for r in roles], role_other="on"),
    )
    assert not Subscriber.objects.exists()  # the request only queued it
    run_jobs()

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Mixed.Case@example.org"
    assert set(subscriber.roles.all()) == set(roles)
    assert subscriber.role_other
    assert subscriber.interest_keys == ["wants_trainings", "wants_reports"]
    assert subscriber.status == Subscriber.Status.PENDING
    assert "You can leave at any time" in subscriber.consent_text
    assert subscriber.consent_at is not None
    assert subscriber.source == Subscriber.Source.SIGNUP_PAGE
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "trap",
    [
        {"website": "http://spam.example"},
        {"started": "__now__"},
        {"started": "tampered"},
        {"started": ""},
    ],
    ids=["honeypot", "too-fast", "tampered-start", "no-start"],
)
def test_bots_see_success_and_change_nothing(
    client, signup_data, django_capture_on_commit_callbacks, trap
):
    if trap.get("started") == "__now__":
        trap = {"started": started_long_ago(0)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data(**trap))

    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_answers_429_with_a_clear_page(client, settings, signup_data):
    settings.NEWSLETTER_RATE_LIMIT = 3
    for n in range(3):
        assert client.post(SIGNUP, signup_data(f"p{n}@example.org")).status_code == 302

    response = client.post(SIGNUP, signup_data("p9@example.org"))

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.NEWSLETTER_RATE_LIMIT_WINDOW_SECONDS)
    assert b"Please wait a few minutes" in response.content
    assert not Subscriber.objects.with_email("p9@example.org").exists()
    # Another client is not affected.
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.post(SIGNUP, signup_data("p8@example.org")).status_code == 302
    # The counts live in the database: emptying (or flooding) the page cache resets nothing.
    caches["pages"].clear()
    assert client.post(SIGNUP, signup_data("p7@example.org")).status_code == 429


@pytest.mark.parametrize(
    "status", [None, "pending", "confirmed", "unsubscribed"], ids=lambda s: str(s)
)
def test_the_answer_never_reveals_who_is_on_the_list(client, signup_data, status):
    if status:
        make_subscriber("someone@example.org", status=status)

    response = client.post(SIGNUP, signup_data("someone@example.org"))
    page = client.get(response["Location"])

    assert (response.status_code, response["Location"]) == (302, "/newsletter/thanks/")
    reference = Client().get("/newsletter/thanks/")
    strip = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>')
    assert strip.sub(b"", page.content) == strip.sub(b"", reference.content)


def test_signup_needs_a_csrf_token(signup_data):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(SIGNUP, signup_data()).status_code == 403
    assert Subscriber.objects.count() == 0


def test_confirm_page_has_one_button_and_confirming_twice_is_harmless(client):
    subscriber = make_subscriber()
    url = reverse("newsletter:confirm", kwargs={"token": make_token(subscriber, purpose="confirm")})

    page = client.get(url)
    assert main(page).count(b"<button") == 1
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    assert b"You are subscribed" in client.post(url).content
    first = Subscriber.objects.get().confirmed_at
    again = client.post(url)
    assert again.status_code == 200
    assert b"already subscribed" in again.content
    assert Subscriber.objects.get().confirmed_at == first


def test_confirm_link_from_before_leaving_does_not_bring_anyone_back(client):
    subscriber = make_subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    url = reverse("newsletter:confirm", kwargs={"token": make_token(subscriber, purpose="confirm")})

    assert b"no longer valid" in client.post(url).content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize("purpose", ["confirm", "unsubscribe", "preferences"])
def test_tampered_tokens_are_refused(client, purpose):
    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    token = make_token(subscriber, purpose=purpose)
    forged = signing.dumps([subscriber.pk, subscriber.email_digest], salt="guess")
    other = "preferences" if purpose == "unsubscribe" else "unsubscribe"
    name = f"newsletter:{purpose}"
    for bad in [token[:-2] + "xx", forged, "nonsense", make_token(subscriber, purpose=other)]:
        response = client.post(reverse(name, kwargs={"token": bad}))
        assert response.status_code == 400
        assert b"This link does not work" in response.content
        assert b"Send a new link" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_a_link_dies_with_an_erased_row(client):
    subscriber = make_subscriber()
    token = make_token(subscriber, purpose="confirm")
    subscriber.delete()
    make_subscriber("someone.else@example.org", id=subscriber.pk)

    assert client.post(reverse("newsletter:confirm", kwargs={"token": token})).status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_unsubscribe_get_shows_a_button_and_changes_nothing(client):
    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    url = reverse(
        "newsletter:unsubscribe", kwargs={"token": make_token(subscriber, purpose="unsubscribe")}
    )

    page = client.get(url)

    assert page.status_code == 200
    assert main(page).count(b"<button") == 1
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_one_click_unsubscribe_needs_no_csrf_token_or_login():
    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    url = reverse(
        "newsletter:unsubscribe", kwargs={"token": make_token(subscriber, purpose="unsubscribe")}
    )
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    # Twice is harmless.
    assert strict.post(url).status_code == 200


def test_preferences_change_roles_and_interests(client):
    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    url = reverse(
        "newsletter:preferences", kwargs={"token": make_token(subscriber, purpose="preferences")}
    )
    role = Role.objects.get(slug="pediatricians")

    page = client.get(url)
    assert b"person@example.org" in page.content
    assert b'id="id_interests_0" checked' in page.content
    response = client.post(
        url, {"name": "New Name", "roles": [role.pk], "interests": ["wants_celebrate_babies_week"]}
    )

    assert b"Your preferences are saved" in response.content
    subscriber.refresh_from_db()
    assert subscriber.name == "New Name"
    assert list(subscriber.roles.all()) == [role]
    assert subscriber.interest_keys == ["wants_celebrate_babies_week"]
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_preferences_page_unsubscribes_too(client):
    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    url = reverse(
        "newsletter:preferences", kwargs={"token": make_token(subscriber, purpose="preferences")}
    )
    action = re.search(rb'action="(/newsletter/unsubscribe/[^"]+)"', client.get(url).content)[1]

    client.post(action.decode())

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert b"not on our mailing list" in client.get(url).content


def test_resend_form_answers_the_same_for_anyone(client, run_jobs):
    make_subscriber("waiting@example.org")
    data = {"website": "", "started": started_long_ago()}

    unknown = client.post(reverse("newsletter:resend"), {**data, "email": "nobody@example.org"})
    known = client.post(reverse("newsletter:resend"), {**data, "email": "waiting@example.org"})
    run_jobs()

    assert unknown["Location"] == known["Location"] == "/newsletter/thanks/"
    assert [m.to for m in mail.outbox] == [["waiting@example.org"]]


def test_privacy_notice(client):
    response = client.get(reverse("newsletter:privacy"))
    assert response.status_code == 200
    assert b"How to leave" in response.content
    assert b"IP address" in response.content


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_refused(client, method):
    assert getattr(client, method)(SIGNUP).status_code == 405


def test_signup_page_queries_do_not_grow(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get(SIGNUP).status_code == 200
    for n in range(20):
        make_subscriber(f"p{n}@example.org")
    with django_assert_max_num_queries(3):
        assert client.get(SIGNUP).status_code == 200
