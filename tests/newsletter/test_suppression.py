"""The do-not-import list: who left or was erased stays off, until they confirm a new signup."""

import hashlib
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from newsletter.models import Subscriber, Suppression
from newsletter.tokens import make_token
from tests.factories import make_subscriber
from tests.newsletter.conftest import shown_rows

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:newsletter_subscriber_changelist")


def unsubscribe_url(subscriber) -> str:
    token = make_token(subscriber, purpose="unsubscribe")
    return reverse("newsletter:unsubscribe", kwargs={"token": token})


def run_action(client, action, subscribers, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [s.pk for s in subscribers], **extra},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_leaving_by_link_or_by_staff_and_erasure_are_remembered_by_fingerprint_only(
    client, admin_client
):
    by_link = make_subscriber("Link@Example.org", status="confirmed")
    by_staff = make_subscriber("staff@example.org", status="confirmed")
    erased = make_subscriber("erased@example.org", status="confirmed")

    client.post(unsubscribe_url(by_link))
    run_action(admin_client, "unsubscribe", [by_staff])
    run_action(admin_client, "erase", [erased], **{"confirm-erase": "yes"})

    reasons = dict(Suppression.objects.values_list("digest", "reason"))
    assert reasons == {
        hashlib.sha256(b"link@example.org").hexdigest(): "unsubscribed",
        hashlib.sha256(b"staff@example.org").hexdigest(): "unsubscribed",
        hashlib.sha256(b"erased@example.org").hexdigest(): "erased",
    }
    # Links carry the start of the same fingerprint.
    assert (
        Suppression.objects.for_email("link@example.org")
        .get()
        .digest.startswith(by_link.email_digest)
    )


def test_unsubscribing_and_erasing_twice_are_harmless(client, admin_client):
    subscriber = make_subscriber(status="confirmed")

    assert client.post(unsubscribe_url(subscriber)).status_code == 200
    assert client.post(unsubscribe_url(subscriber)).status_code == 200
    again = run_action(admin_client, "unsubscribe", [subscriber])
    assert messages_of(again) == ["0 unsubscribed.", "1 had already left."]
    first_left = Subscriber.objects.get().unsubscribed_at

    erase = run_action(admin_client, "erase", [subscriber], **{"confirm-erase": "yes"})
    erase_again = run_action(admin_client, "erase", [subscriber], **{"confirm-erase": "yes"})

    assert messages_of(erase) == ["1 erased completely."]
    assert messages_of(erase_again) == ["0 erased completely."]
    assert first_left is not None
    assert not Subscriber.objects.exists()
    assert list(Suppression.objects.values_list("reason", flat=True)) == ["erased"]


@pytest.mark.parametrize("left_by", ["unsubscribing", "erasure"])
def test_signing_up_again_takes_the_emailed_link_before_any_import_may_add_them(
    client, admin_client, smtp, signup_data, run_jobs, preview, left_by
):
    subscriber = make_subscriber("ana@example.org", status="confirmed")
    if left_by == "unsubscribing":
        client.post(unsubscribe_url(subscriber))
    else:
        run_action(admin_client, "erase", [subscriber], **{"confirm-erase": "yes"})

    client.post(reverse("newsletter:signup"), signup_data("Ana@Example.org"))
    run_jobs()

    # A signup alone is not enough: anyone can type anyone's address.
    [message] = smtp.messages
    assert message["To"].lower() == "ana@example.org"
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert Suppression.objects.for_email("ana@example.org").exists()
    page = preview("email\nana@example.org\n")
    assert shown_rows(page)["a…@example.org"][0] == "Suppressed"

    body = message.get_body(("plain",)).get_content()
    confirm_url = re.search(r"https://iecmh\.example(/newsletter/confirm/[^/\s]+/)", body)[1]
    assert b"You are subscribed" in client.post(confirm_url).content

    # Their own click lifts it: they are on the list again, and an import sees them there.
    assert not Suppression.objects.exists()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    again = preview("email\nana@example.org\n")
    assert shown_rows(again)["ana@example.org"][0] == "Already on the list"


def test_staff_can_look_an_address_up_but_not_lift_it(admin_client):
    make_subscriber("gone@example.org", status="confirmed")
    run_action(admin_client, "erase", list(Subscriber.objects.all()), **{"confirm-erase": "yes"})
    changelist = reverse("admin:newsletter_suppression_changelist")

    found = admin_client.get(changelist, {"q": " Gone@Example.org "})
    missing = admin_client.get(changelist, {"q": "other@example.org"})

    assert found.context["cl"].result_count == 1
    assert b"Erased at their request" in found.content
    assert missing.context["cl"].result_count == 0
    suppression = Suppression.objects.get()
    delete = reverse("admin:newsletter_suppression_delete", args=[suppression.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Suppression.objects.exists()


def test_people_who_had_left_before_the_list_existed_are_added_to_it():
    make_subscriber("old.leaver@example.org", status="unsubscribed")
    make_subscriber("still.here@example.org", status="confirmed")
    migration = importlib.import_module("newsletter.migrations.0002_suppress_unsubscribed")

    migration.suppress_unsubscribed(apps, None)
    migration.suppress_unsubscribed(apps, None)  # twice is harmless

    assert Suppression.objects.get().digest == hashlib.sha256(b"old.leaver@example.org").hexdigest()
