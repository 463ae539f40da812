"""The mailing list in Spanish: a signup on a Spanish page gets Spanish emails, whose links open
the Spanish pages; the one-click unsubscribe header stays what it always was."""

import csv
import html
import io
import re

import pytest
from django.urls import reverse

from newsletter.models import Subscriber
from newsletter.tokens import make_token
from tests.factories import make_subscriber
from tests.newsletter.conftest import shown_rows

pytestmark = pytest.mark.django_db

SPANISH_LINK = re.compile(r"https://iecmh\.example(/es/newsletter/[a-z]+/[^/\s]+/)")
ONE_CLICK = r"<https://iecmh\.example/newsletter/unsubscribe/[^/]+/>"


def links_in(message) -> dict[str, str]:
    body = message.get_body(("plain",)).get_content()
    return {path.split("/")[3]: path for path in SPANISH_LINK.findall(body)}


def test_a_signup_on_the_spanish_page_is_recorded_in_spanish(client, signup_data, run_jobs):
    response = client.post("/es/newsletter/", signup_data("ana@example.org"))
    client.post("/newsletter/", signup_data("bo@example.org"))
    run_jobs()

    assert response.status_code == 302
    assert response["Location"] == "/es/newsletter/thanks/"
    assert Subscriber.objects.get(email="ana@example.org").language == "es"
    assert Subscriber.objects.get(email="bo@example.org").language == "en"


def test_the_footer_signup_of_a_spanish_page_posts_to_the_spanish_form(
    client, signup_data, run_jobs
):
    footer = client.get("/es/events/").content.decode().split('<footer class="site-footer"')[1]
    assert 'action="/es/newsletter/"' in footer
    assert 'data-signup-token-url="/es/newsletter/signup-token/"' in footer

    client.post("/es/newsletter/", signup_data(source="footer"))
    run_jobs()

    subscriber = Subscriber.objects.get()
    assert subscriber.source == Subscriber.Source.FOOTER
    assert subscriber.language == "es"
    # The consent recorded is the sentence the person read, in Spanish.
    assert subscriber.consent_text.startswith("Al suscribirse, usted acepta")


def test_the_emails_are_in_spanish_with_spanish_links_and_the_same_one_click_header(
    client, smtp, signup_data, run_jobs
):
    client.post("/es/newsletter/", signup_data())
    run_jobs()

    [message] = smtp.messages
    assert message["Subject"] == "Confirme su suscripción a nuestra lista de correo"
    text = message.get_body(("plain",)).get_content()
    body_html = message.get_body(("html",)).get_content()
    assert "Hola:" in text
    assert "presione el botón Confirmar" in text
    assert "Please confirm" not in text
    assert '<html lang="es">' in body_html
    assert "Confirme su suscripción</a>" in body_html
    links = links_in(message)
    assert set(links) == {"confirm", "unsubscribe"}
    assert "https://iecmh.example/es/newsletter/privacy/" in text
    # RFC 8058: exactly the header an English subscriber gets, at the language-neutral address.
    header = message["List-Unsubscribe"].strip()
    assert re.fullmatch(ONE_CLICK, header)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page = client.get(links["confirm"])
    assert '<html lang="es"' in page.content.decode()
    assert ">Confirmar</button>" in page.content.decode()
    done = client.post(links["confirm"])
    run_jobs()

    assert "Su suscripción está confirmada" in done.content.decode()
    assert 'href="/es/newsletter/preferences/' in done.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.language == "es"  # kept through the confirmation
    welcome = smtp.messages[1]
    assert welcome["Subject"] == "Le damos la bienvenida a nuestra lista de correo"
    welcome_text = welcome.get_body(("plain",)).get_content()
    assert "Hola, Ana Example:" in welcome_text
    assert "- Capacitaciones y eventos" in welcome_text
    assert "- Informes y políticas públicas" in welcome_text
    assert set(links_in(welcome)) == {"preferences", "unsubscribe"}
    assert re.fullmatch(ONE_CLICK, welcome["List-Unsubscribe"].strip())

    # The one-click POST at the header's address still works.
    one_click = header.strip("<>").removeprefix("https://iecmh.example")
    assert client.post(one_click, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_an_english_subscriber_still_gets_english_emails(client, smtp, signup_data, run_jobs):
    client.post("/newsletter/", signup_data())
    run_jobs()

    [message] = smtp.messages
    assert message["Subject"] == "Please confirm your subscription to our mailing list"
    assert "/es/" not in message.get_body(("plain",)).get_content()
    assert re.fullmatch(ONE_CLICK, message["List-Unsubscribe"].strip())


def test_the_pages_the_emails_open_answer_in_the_language_of_their_address(client):
    subscriber = make_subscriber(status="confirmed", language="es")
    preferences = reverse(
        "newsletter:preferences", kwargs={"token": make_token(subscriber, purpose="preferences")}
    )
    unsubscribe = reverse(
        "newsletter:unsubscribe", kwargs={"token": make_token(subscriber, purpose="unsubscribe")}
    )
    confirm = reverse(
        "newsletter:confirm", kwargs={"token": make_token(subscriber, purpose="confirm")}
    )

    page = client.get(f"/es{preferences}").content.decode()
    assert '<html lang="es"' in page
    assert "Sus preferencias de la lista de correo" in page
    assert "Envíenme noticias sobre" in page
    assert "Capacitaciones y eventos" in page
    # The page signs its own unsubscribe link, so its timestamp may differ from ours.
    assert re.search(r'action="/es/newsletter/unsubscribe/[^"/]+/"', page)
    saved = client.post(f"/es{preferences}", {"interests": []}).content.decode()
    assert "Elija al menos un tema." in saved
    assert "Corrija este problema" in saved

    page = client.get(f"/es{confirm}").content.decode()
    assert "Su suscripción ya estaba confirmada" in page

    page = client.get(f"/es{unsubscribe}").content.decode()
    assert "Presione el botón para dejar de recibir" in page
    page = client.post(f"/es{unsubscribe}").content.decode()
    assert "Su suscripción se canceló" in page
    assert 'href="/es/newsletter/privacy/"' in page

    bad_link = client.get("/es/newsletter/confirm/garbage/")
    assert bad_link.status_code == 400
    assert "Este enlace no funciona" in bad_link.content.decode()
    # The English addresses stay English.
    assert "Your mailing list preferences" in client.get(preferences).content.decode()


def test_the_export_says_each_subscriber_s_language(admin_client):
    make_subscriber("ana@example.org", status="confirmed", language="es")
    make_subscriber("bo@example.org", status="confirmed")

    response = admin_client.get(reverse("admin:newsletter_subscriber_export_confirmed"))
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))

    assert {row["email"]: row["language"] for row in rows} == {
        "ana@example.org": "es",
        "bo@example.org": "en",
    }
    # Topics stay in English whatever the subscriber's language: the import reads them back.
    assert {row["interests"] for row in rows} == {"Trainings and events"}


def test_an_import_reads_the_language_column(preview, import_now):
    page = preview(
        "Email,Language,Interests\n"
        "ana@example.org,es,Capacitaciones y eventos\n"
        "bo@example.org,Spanish,Reports\n"
        "cy@example.org,Español,\n"
        "di@example.org,es-US,\n"
        "ed@example.org,,\n"
        "fay@example.org,English,\n"
        "gus@example.org,Klingon,\n"
    )
    assert "<q>Language</q> as language" in page.content.decode()
    shown = html.unescape(page.content.decode())
    assert 'language "Klingon" not known: emails in English' in shown
    assert shown_rows(page)["ana@example.org"][0] == "New subscriber"
    import_now(page)

    assert dict(Subscriber.objects.values_list("email", "language")) == {
        "ana@example.org": "es",
        "bo@example.org": "es",
        "cy@example.org": "es",
        "di@example.org": "es",
        "ed@example.org": "en",
        "fay@example.org": "en",
        "gus@example.org": "en",
    }
    ana = Subscriber.objects.get(email="ana@example.org")
    assert ana.interest_keys == ["wants_trainings"]  # a Spanish topic name is understood


def test_an_export_of_another_tool_without_the_column_means_english(preview, import_now):
    page = preview("Email address,First name,Email permission status\ncy@example.org,Cy,Explicit\n")
    import_now(page)

    assert Subscriber.objects.get().language == "en"
