import csv
import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from iecmh_site.vocabulary import Role
from newsletter.models import Subscriber, Suppression
from tests.factories import make_subscriber
from tests.newsletter.conftest import shown_rows

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsletter_subscriber_changelist"


def run_action(client, action, subscribers, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [s.pk for s in subscribers], **extra},
    )


def rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))


def test_changelist_shows_counts_and_a_constant_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    roles = list(Role.objects.all())
    make_subscriber("a@example.org", roles=roles)
    with django_assert_max_num_queries(12):
        small = admin_client.get(reverse(CHANGELIST))
    for n in range(30):
        make_subscriber(f"p{n}@example.org", status="confirmed", roles=roles)
    with django_assert_max_num_queries(12):
        large = admin_client.get(reverse(CHANGELIST))

    assert small.status_code == large.status_code == 200
    html = large.content.decode()
    assert "Confirmed: <strong>30</strong>" in html
    assert "Waiting for confirmation: <strong>1</strong>" in html
    assert "Import from CSV" in html


def test_search_and_filters(admin_client):
    make_subscriber("findme@example.org", name="Zed")
    make_subscriber("other@example.org", status="confirmed")

    found = admin_client.get(reverse(CHANGELIST), {"q": "findme"})
    confirmed = admin_client.get(reverse(CHANGELIST), {"status__exact": "confirmed"})
    not_sent = admin_client.get(reverse(CHANGELIST), {"confirmation": "not-sent"})

    assert found.context["cl"].result_count == 1
    assert [s.email for s in confirmed.context["cl"].result_list] == ["other@example.org"]
    assert [s.email for s in not_sent.context["cl"].result_list] == ["findme@example.org"]


def test_staff_cannot_add_or_confirm_by_hand(admin_client):
    subscriber = make_subscriber()
    assert admin_client.get(reverse("admin:newsletter_subscriber_add")).status_code == 403

    url = reverse("admin:newsletter_subscriber_change", args=[subscriber.pk])
    admin_client.post(
        url,
        {"status": "confirmed", "name": "Edited", "language": "en", "wants_trainings": "on"},
    )

    subscriber.refresh_from_db()
    assert subscriber.name == "Edited"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.confirmed_at is None


def test_resend_confirmation_action(admin_client, run_jobs):
    pending = make_subscriber("wait@example.org")
    confirmed = make_subscriber("done@example.org", status="confirmed")

    run_action(admin_client, "resend_confirmation", [pending, confirmed])
    run_jobs()

    assert [m.to for m in mail.outbox] == [["wait@example.org"]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_unsubscribe_action(admin_client):
    subscriber = make_subscriber(status="confirmed")
    run_action(admin_client, "unsubscribe", [subscriber])
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_erase_asks_first_then_leaves_no_trace(admin_client, django_user_model):
    subscriber = make_subscriber("forget.me@example.org")
    keep = make_subscriber("keep@example.org")
    LogEntry.objects.create(
        user=django_user_model.objects.get(),
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(subscriber.pk),
        object_repr=subscriber.email,
        action_flag=CHANGE,
    )

    ask = run_action(admin_client, "erase", [subscriber])
    assert ask.status_code == 200
    assert b"forget.me@example.org" in ask.content
    assert Subscriber.objects.count() == 2

    run_action(admin_client, "erase", [subscriber], **{"confirm-erase": "yes"})

    assert list(Subscriber.objects.all()) == [keep]
    assert not LogEntry.objects.filter(object_repr__contains="forget.me").exists()
    action_form = admin_client.get(reverse(CHANGELIST)).context["action_form"]
    assert "delete_selected" not in [name for name, _ in action_form.fields["action"].choices]


def test_export_selected_and_all_confirmed(admin_client):
    role = Role.objects.get(slug="home-visitors")
    a = make_subscriber(
        "a@example.org", status="confirmed", name="=cmd()", roles=[role], role_other=True
    )
    b = make_subscriber("b@example.org")
    make_subscriber("c@example.org", status="confirmed")

    selected = rows(run_action(admin_client, "export_csv", [a, b]))
    confirmed = rows(admin_client.get(reverse("admin:newsletter_subscriber_export_confirmed")))

    assert {r["email"] for r in selected} == {"a@example.org", "b@example.org"}
    assert [r["email"] for r in confirmed] == ["a@example.org", "c@example.org"]
    first = confirmed[0]
    assert first["name"] == "'=cmd()"  # spreadsheets must not run it as a formula
    assert first["roles"] == f"{role.name}; Other"
    assert first["interests"] == "Trainings and events"
    assert first["confirmed_at"] and first["consent_given_at"]


def test_csv_round_trip(admin_client, preview, import_now):
    roles = list(Role.objects.all()[:2])
    make_subscriber(
        "one@example.org", status="confirmed", name="=One", roles=roles, wants_reports=True
    )
    make_subscriber("two@example.org", status="confirmed", organization="Clinic", role_other=True)
    make_subscriber("gone@example.org", status="unsubscribed")
    before = {
        s.email: (s.name, s.organization, set(s.roles.all()), s.role_other, s.interest_keys)
        for s in Subscriber.objects.all()
    }
    exported = admin_client.get(reverse("admin:newsletter_subscriber_export_confirmed")).content
    exported_all = run_action(admin_client, "export_csv", list(Subscriber.objects.all())).content
    Subscriber.objects.all().delete()

    page = preview(exported, label="Round trip")
    assert Subscriber.objects.count() == 0  # a preview saves nobody
    import_now(page)

    after = {
        s.email: (s.name, s.organization, set(s.roles.all()), s.role_other, s.interest_keys)
        for s in Subscriber.objects.all()
    }
    assert after == {k: v for k, v in before.items() if k != "gone@example.org"}
    one = Subscriber.objects.get(email="one@example.org")
    assert one.status == Subscriber.Status.CONFIRMED
    assert one.source == Subscriber.Source.IMPORT
    assert "Round trip (imported by boss on " in one.source_detail

    # Importing everything again adds nobody twice; the one who left is never added, only
    # remembered (by fingerprint) so that no later import brings them back.
    again = preview(exported_all, label="Again")
    shown = shown_rows(again)
    assert shown["one@example.org"] == ("Already on the list", "already on the list: not changed")
    assert shown["gone@example.org"][0] == "Recorded as having left"
    done = import_now(again)
    assert Subscriber.objects.count() == 2
    assert not Subscriber.objects.with_email("gone@example.org").exists()
    assert Suppression.objects.for_email("gone@example.org").get().reason == "unsubscribed"
    assert shown_rows(done)["g…@example.org"][0] == "Recorded as having left"


def test_import_reports_bad_rows_and_imports_the_good(preview, import_now):
    make_subscriber("exists@example.org", status="confirmed", name="Kept")
    make_subscriber("waiting@example.org")
    text = (
        "Email,Name,Roles,Interests,Status,confirmed_at\n"
        "good@example.org,Good,Pediatricians; other,Reports and policy,confirmed,2024-03-01\n"
        "not-an-email,Bad,,,,\n"
        "EXISTS@example.org,,,,,\n"
        "good@example.org,Twice,,,,\n"
        "odd@example.org,,Astronauts,Gossip,pending,yesterday\n"
        ",,,,,\n"
        "Waiting@Example.org,Wai Ting,,,subscribed,\n"
    )

    page = preview(text)

    rows = {row["line"]: (row["label"], row["why"]) for row in page.context["page"]}
    assert rows[2] == ("New subscriber", "will be added as confirmed")
    assert rows[3] == ("Invalid", "not a valid email address")
    assert rows[4] == ("Already on the list", "already on the list: not changed")
    assert rows[5] == ("Duplicate within the file", "repeats the address on line 2")
    assert rows[6][0] == "Invalid"  # role, interest, status and date are all wrong
    for reason in ['role "Astronauts"', 'interest "Gossip"', 'status "pending"', '"yesterday"']:
        assert reason in rows[6][1]
    assert rows[8] == (
        "Update",
        "waiting for confirmation here: will be confirmed; adds name",
    )
    assert b"Import 2 people" in page.content
    assert Subscriber.objects.count() == 2

    import_now(page)

    good = Subscriber.objects.get(email="good@example.org")
    assert good.confirmed_at.date().isoformat() == "2024-03-01"
    assert good.role_other and list(good.roles.values_list("slug", flat=True)) == ["pediatricians"]
    assert good.interest_keys == ["wants_reports"]
    waiting = Subscriber.objects.get(email="waiting@example.org")
    assert (waiting.status, waiting.name) == (Subscriber.Status.CONFIRMED, "Wai Ting")
    assert waiting.source_detail.startswith("Confirmed by import: Old tool")
    assert Subscriber.objects.get(email="exists@example.org").name == "Kept"
    assert Subscriber.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", b"this is an Excel workbook, not a CSV file"),
        (b"email\x00\x00\x00junk", b"the file is not text"),
        (b"email\n\x81\x8d\x8f\x90\x9d@example.org\n", b"not UTF-8 text"),
        (b"name,roles\nx,y\n", b"called &quot;email&quot;"),
    ],
    ids=["xlsx", "binary", "neither-utf8-nor-1252", "no-email-column"],
)
def test_import_rejects_unreadable_files(preview, content, message, settings):
    page = preview(content)

    assert b"The file could not be read: " in page.content
    assert message in page.content
    assert b"Choose another file" in page.content
    assert Subscriber.objects.count() == 0
    import_ = page.context["list_import"]
    assert import_.state == "failed"
    assert not import_.file  # not kept once it is known to be useless
    assert not any((settings.PRIVATE_MEDIA_ROOT / "newsletter" / "imports").iterdir())


def test_import_requires_the_consent_statement(admin_client):
    from tests.newsletter.conftest import IMPORT, upload

    response = admin_client.post(
        IMPORT, {"csv_file": upload("email\nx@example.org\n"), "source_label": "Old"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "consent_checked": ["Tick this box to confirm these people agreed to receive our emails."]
    }
    assert Subscriber.objects.count() == 0


def test_import_and_export_need_permissions(client, staff_user):
    client.force_login(staff_user)
    staff_user.groups.clear()
    staff_user.user_permissions.clear()
    assert client.get(reverse("admin:newsletter_subscriber_import")).status_code == 403
    assert client.get(reverse("admin:newsletter_subscriber_export_confirmed")).status_code == 403


def test_change_and_import_pages_render(admin_client):
    subscriber = make_subscriber(roles=list(Role.objects.all()[:1]))
    change = admin_client.get(reverse("admin:newsletter_subscriber_change", args=[subscriber.pk]))
    importer = admin_client.get(reverse("admin:newsletter_subscriber_import"))

    assert change.status_code == importer.status_code == 200
    assert b"Consent record" in change.content
    assert b'name="status"' not in change.content
    assert b"email,name,organization,roles" in importer.content
