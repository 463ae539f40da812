import csv
import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iecmh_site.vocabulary import Role
from newsletter.models import Subscriber
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsletter_subscriber_changelist"


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", None)
    client.force_login(user)
    return client


def run_action(client, action, subscribers, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [s.pk for s in subscribers], **extra},
    )


def rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))


def upload(text: str, name="list.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


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
    admin_client.post(url, {"status": "confirmed", "name": "Edited", "wants_trainings": "on"})

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


def test_csv_round_trip(admin_client):
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

    response = admin_client.post(
        reverse("admin:newsletter_subscriber_import"),
        {
            "csv_file": upload(exported.decode("utf-8-sig")),
            "source_label": "Round trip",
            "consent_checked": "on",
        },
    )

    assert response.status_code == 302
    after = {
        s.email: (s.name, s.organization, set(s.roles.all()), s.role_other, s.interest_keys)
        for s in Subscriber.objects.all()
    }
    assert after == {k: v for k, v in before.items() if k != "gone@example.org"}
    one = Subscriber.objects.get(email="one@example.org")
    assert one.status == Subscriber.Status.CONFIRMED
    assert one.source == Subscriber.Source.IMPORT
    assert "Round trip (imported by boss on " in one.source_detail

    # Importing everything again adds nobody twice; the one who left comes in as unsubscribed.
    again = admin_client.post(
        reverse("admin:newsletter_subscriber_import"),
        {
            "csv_file": upload(exported_all.decode("utf-8-sig")),
            "source_label": "Again",
            "consent_checked": "on",
        },
    )
    assert Subscriber.objects.count() == 3
    assert Subscriber.objects.get(email="gone@example.org").status == "unsubscribed"
    reasons = {row.email: row.reasons for row in again.context["report"].rejected}
    assert reasons["one@example.org"] == ["already on the list: not changed"]


def test_import_reports_bad_rows_and_imports_the_good(admin_client):
    make_subscriber("exists@example.org")
    text = (
        "Email,Name,Roles,Interests,Status,confirmed_at\n"
        "good@example.org,Good,Pediatricians; other,Reports and policy,confirmed,2024-03-01\n"
        "not-an-email,Bad,,,,\n"
        "EXISTS@example.org,,,,,\n"
        "good@example.org,Twice,,,,\n"
        "odd@example.org,,Astronauts,Gossip,pending,yesterday\n"
        ",,,,,\n"
    )

    response = admin_client.post(
        reverse("admin:newsletter_subscriber_import"),
        {"csv_file": upload(text), "source_label": "Old tool", "consent_checked": "on"},
    )

    assert response.status_code == 200
    report = response.context["report"]
    assert report.created == 1
    rejected = {row.line: (row.email, row.reasons) for row in report.rejected}
    assert rejected[3] == ("not-an-email", ["not a valid email address"])
    assert rejected[4][1] == ["already on the list: not changed"]
    assert rejected[5][1] == ["repeats an address earlier in the file"]
    assert len(rejected[6][1]) == 4  # role, interest, status and date are all wrong
    assert b"Rejected rows" in response.content
    good = Subscriber.objects.get(email="good@example.org")
    assert good.confirmed_at.date().isoformat() == "2024-03-01"
    assert good.role_other and list(good.roles.values_list("slug", flat=True)) == ["pediatricians"]
    assert good.interest_keys == ["wants_reports"]
    assert Subscriber.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00bad", b"not UTF-8"), (b"name,roles\nx,y\n", b"called &quot;email&quot;")],
)
def test_import_rejects_unreadable_files(admin_client, content, message):
    response = admin_client.post(
        reverse("admin:newsletter_subscriber_import"),
        {
            "csv_file": SimpleUploadedFile("x.csv", content),
            "source_label": "Bad",
            "consent_checked": "on",
        },
    )
    assert message in response.content
    assert Subscriber.objects.count() == 0


def test_import_requires_the_consent_statement(admin_client):
    response = admin_client.post(
        reverse("admin:newsletter_subscriber_import"),
        {"csv_file": upload("email\nx@example.org\n"), "source_label": "Old"},
    )
    assert response.status_code == 200
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
