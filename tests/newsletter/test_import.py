"""Importing another tool's export from the admin: upload, preview, one click, result."""

import re

import pytest
from django.urls import reverse

from iecmh_site.vocabulary import Role
from newsletter.models import ListImport, Subscriber, Suppression
from tests.factories import make_subscriber
from tests.newsletter.conftest import IMPORT, shown_rows, upload

pytestmark = pytest.mark.django_db

MAILCHIMP_SUBSCRIBED = (
    "Email Address,First Name,Last Name,Organization,Interests,MEMBER_RATING,OPTIN_TIME,"
    "OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,"
    "LAST_CHANGED,LEID,EUID,NOTES,TAGS\n"
    'ana@example.org,Ana,Souza,"Clinic, Inc.","Trainings, Reports",2,2023-01-05 14:02:11,,'
    '2023-01-05 14:05:40,,,,,,,,,2023-01-05 14:05:40,11,aa,,"""Celebrate"",""VIP"""\n'
    "bo@example.org,Bo,,,,,2023-02-01 09:00:00,,2023-02-01 09:01:00,,,,,,,,,,12,bb,,\n"
)
MAILCHIMP_UNSUBSCRIBED = (
    "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,CONFIRM_TIME,UNSUB_TIME,"
    "UNSUB_CAMPAIGN_TITLE,UNSUB_REASON,LEID\n"
    "left@example.org,Lee,Ft,2,2022-01-01 10:00:00,2022-01-01 10:01:00,2024-05-01 08:00:00,"
    "May news,No longer interested,21\n"
    "here@example.org,Here,,2,2022-01-01 10:00:00,2022-01-01 10:01:00,2024-05-01 08:00:00,"
    "May news,,22\n"
    "back@example.org,Back,,2,2022-01-01 10:00:00,2022-01-01 10:01:00,2024-05-01 08:00:00,"
    "May news,,23\n"
)
MAILCHIMP_CLEANED = (
    "Email Address,First Name,Last Name,CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,LEID\n"
    "nobox@example.org,No,Box,2024-06-01 10:00:00,June news,31\n"
)
CONSTANT_CONTACT = (
    "Email address,First name,Last name,Company name,Job title,Email permission status,"
    "Email Lists,Created At\n"
    "cy@example.org,Cy,Ng,Family Agency,Director,Explicit,General,2024-01-01\n"
    "di@example.org,Di,,,,implicit,,\n"
    "ed@example.org,Ed,,,,UNSUBSCRIBED,,\n"
    "fay@example.org,Fay,,,,Pending confirmation,,\n"
)


def test_a_mailchimp_export_is_previewed_then_imported_on_one_click(
    admin_client, preview, import_now
):
    page = preview(MAILCHIMP_SUBSCRIBED, label="Mailchimp, March 2025")

    html = page.content.decode()
    assert shown_rows(page) == {
        "ana@example.org": ("New subscriber", "will be added as confirmed"),
        "bo@example.org": ("New subscriber", "will be added as confirmed"),
    }
    assert "tags not used: VIP" in html
    assert "<q>Email Address</q> as email" in html
    assert "<q>First Name</q> as first name" in html
    assert "Ignored: <q>MEMBER_RATING</q>" in html
    assert "Import 2 people</button>" in html
    assert not Subscriber.objects.exists()  # nothing is saved before the click

    result = import_now(page)

    assert "Import finished" in result.content.decode()
    ana = Subscriber.objects.get(email="ana@example.org")
    assert (ana.name, ana.organization, ana.status) == ("Ana Souza", "Clinic, Inc.", "confirmed")
    assert ana.interest_keys == ["wants_trainings", "wants_celebrate_babies_week", "wants_reports"]
    assert ana.consent_at.year == ana.confirmed_at.year == 2023
    assert ana.source == Subscriber.Source.IMPORT
    assert ana.source_detail.startswith("Mailchimp, March 2025 (imported by boss on ")
    assert Subscriber.objects.get(email="bo@example.org").name == "Bo"
    assert "Import 2 people" not in result.content.decode()


def test_mailchimp_unsubscribed_and_cleaned_exports_fill_the_do_not_import_list(
    preview, import_now
):
    make_subscriber("here@example.org", status="confirmed", confirmed_at=None)
    back = make_subscriber("back@example.org", status="confirmed")  # confirmed here afterwards

    page = preview(MAILCHIMP_UNSUBSCRIBED)
    shown = shown_rows(page)
    assert shown["left@example.org"] == (
        "Recorded as having left",
        "unsubscribed in the other tool: added to the do-not-import list",
    )
    assert shown["here@example.org"] == (
        "Recorded as having left",
        "unsubscribed in the other tool: will be unsubscribed here too",
    )
    assert shown["back@example.org"][0] == "Already on the list"
    assert "after leaving the other tool on 2024-05-01: not changed" in shown["back@example.org"][1]
    import_now(page)
    import_now(preview(MAILCHIMP_CLEANED))

    assert not Subscriber.objects.with_email("left@example.org").exists()
    assert Subscriber.objects.get(email="here@example.org").status == "unsubscribed"
    back.refresh_from_db()
    assert back.status == "confirmed"
    reasons = {
        email: Suppression.objects.for_email(email).values_list("reason", flat=True).first()
        for email in [
            "left@example.org",
            "here@example.org",
            "back@example.org",
            "nobox@example.org",
        ]
    }
    assert reasons == {
        "left@example.org": "unsubscribed",
        "here@example.org": "unsubscribed",
        "back@example.org": None,
        "nobox@example.org": "bounced",
    }
    # Next year's export of everyone brings none of them back.
    again = preview("Email Address,First Name\nleft@example.org,Lee\nNOBOX@example.org,No\n")
    shown = shown_rows(again)
    assert list(shown) == ["l…@example.org", "N…@example.org"]  # addresses not even shown
    assert shown["l…@example.org"][0] == shown["N…@example.org"][0] == "Suppressed"
    assert shown["l…@example.org"][1].startswith("unsubscribed on ")
    assert shown["N…@example.org"][1].startswith("bounced or cleaned in another mailing tool on ")
    assert "Import 0" not in again.content.decode()
    assert "No row of this file would change anything." in again.content.decode()


def test_a_constant_contact_export_is_understood(preview, import_now):
    page = preview(CONSTANT_CONTACT, label="Constant Contact")

    shown = shown_rows(page)
    assert shown["cy@example.org"][0] == shown["di@example.org"][0] == "New subscriber"
    assert shown["ed@example.org"][0] == "Recorded as having left"
    assert shown["fay@example.org"] == (
        "Invalid",
        'status "pending confirmation": only confirmed (or unsubscribed) people can be '
        "imported; others must sign up and confirm themselves",
    )
    assert "<q>Job title</q>" in page.content.decode()  # ignored, and said so
    import_now(page)

    cy = Subscriber.objects.get(email="cy@example.org")
    assert (cy.name, cy.organization) == ("Cy Ng", "Family Agency")
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "cy@example.org",
        "di@example.org",
    ]
    assert Suppression.objects.for_email("ed@example.org").exists()


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("\ufeffEmail Address;First Name\njose@example.org;José Núñez\n".encode(), "UTF-8"),
        ("Email Address,First Name\nzoe@example.org,Zoë “Zo” Müller\n".encode("cp1252"), None),
        ("Email\tName\nzoe@example.org\tZoë Müller\n".encode("utf-16"), "UTF-16"),
    ],
    ids=["utf8-bom-semicolons", "windows-1252", "utf16-tabs"],
)
def test_spreadsheet_encodings_and_separators_are_read(preview, import_now, content, encoding):
    page = preview(content)

    [(email, (outcome, _why))] = shown_rows(page).items()
    assert outcome == "New subscriber"
    if encoding:
        assert f"{encoding} text" in page.content.decode()
    else:
        assert "Windows-1252 text (check that names with accents look right)" in (
            page.content.decode()
        )
    import_now(page)
    name = Subscriber.objects.get().name
    assert name in {"José Núñez", "Zoë “Zo” Müller", "Zoë Müller"}


def test_interests_and_roles_match_any_case_and_their_first_word(preview, import_now):
    role = Role.objects.order_by("order", "name").first()
    text = (
        "email,interests,roles\n"
        f"a@example.org,TRAININGS AND EVENTS; celebrate,{role.name.upper()}\n"
        "b@example.org,Trainings,\n"
        "c@example.org,Report,other\n"
        "d@example.org,Gossip,\n"
        "e@example.org,Tr,\n"
    )

    page = preview(text)

    shown = shown_rows(page)
    assert [shown[f"{x}@example.org"][0] for x in "abc"] == ["New subscriber"] * 3
    assert shown["d@example.org"] == ("Invalid", 'interest "Gossip": unknown')
    assert shown["e@example.org"] == ("Invalid", 'interest "Tr": unknown')  # too short to guess
    import_now(page)
    a = Subscriber.objects.get(email="a@example.org")
    assert a.interest_keys == ["wants_trainings", "wants_celebrate_babies_week"]
    assert list(a.roles.all()) == [role]
    assert Subscriber.objects.get(email="b@example.org").interest_keys == ["wants_trainings"]
    c = Subscriber.objects.get(email="c@example.org")
    assert (c.interest_keys, c.role_other) == (["wants_reports"], True)


def test_the_form_lists_what_the_file_may_contain(admin_client):
    html = admin_client.get(IMPORT).content.decode()

    assert "Interests accepted: <strong>Trainings and events; Celebrate Babies Week; " in html
    assert "Reports and policy</strong>" in html
    for role in Role.objects.all():
        assert role.name in html
    assert "subscribed, explicit, implicit, active" in html
    assert "unsubscribed, opted out, cleaned, bounced" in html
    assert "Email permission status" in html


def test_duplicates_within_a_file_are_found_whatever_the_case(preview, import_now):
    page = preview("email,name\nana@example.org,Ana\nANA@Example.org,Ana again\n")

    rows = [(row["email"], row["label"], row["why"]) for row in page.context["page"]]
    assert rows == [
        ("ana@example.org", "New subscriber", "will be added as confirmed"),
        ("ANA@example.org", "Duplicate within the file", "repeats the address on line 2"),
    ]
    assert "Import 1 person</button>" in page.content.decode()
    import_now(page)
    assert Subscriber.objects.get().name == "Ana"


def test_existing_subscribers_are_matched_whatever_the_case(preview, import_now):
    make_subscriber("Known@Example.org", status="confirmed", name="Known", wants_reports=True)
    make_subscriber("blank@example.org", status="confirmed")

    page = preview(
        "email,name,organization,interests\nknown@EXAMPLE.org,Other,,Trainings\n"
        "BLANK@example.org,Filled,Agency,Trainings\n"
    )

    assert shown_rows(page) == {
        "known@example.org": ("Already on the list", "already on the list: not changed"),
        "BLANK@example.org": ("Update", "already confirmed; adds name and organization"),
    }
    import_now(page)
    known = Subscriber.objects.get(email="Known@Example.org")
    assert (known.name, known.interest_keys) == ("Known", ["wants_trainings", "wants_reports"])
    blank = Subscriber.objects.get(email="blank@example.org")
    assert (blank.name, blank.organization) == ("Filled", "Agency")
    assert Subscriber.objects.count() == 2


def test_an_erased_person_does_not_come_back_with_an_old_csv(admin_client, preview, import_now):
    old_csv = "email,name,status\nforget.me@example.org,Forget Me,confirmed\n"
    import_now(preview(old_csv, label="Old list"))
    subscriber = Subscriber.objects.get()

    admin_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "erase", "_selected_action": [subscriber.pk], "confirm-erase": "yes"},
    )
    assert not Subscriber.objects.exists()
    page = preview(
        old_csv + "FORGET.ME@example.org,Again,confirmed\nforget.me@example.org,Bad,pending\n",
        label="Old list, again",
    )

    rows = [(row["email"], row["label"]) for row in page.context["page"]]
    assert rows == [
        ("f…@example.org", "Suppressed"),
        ("F…@example.org", "Duplicate within the file"),
        ("f…@example.org", "Invalid"),
    ]
    why = page.context["page"][0]["why"]
    assert why.startswith("erased at their request on ")
    assert why.endswith(": never imported again")
    assert "forget.me@example.org" not in page.content.decode().lower()
    assert "No row of this file would change anything." in page.content.decode()
    import_now(page)  # clicked anyway, with a crafted POST: still nobody
    assert not Subscriber.objects.exists()
    # Nothing of the address is kept, in the imports or elsewhere: only its fingerprint.
    for list_import in ListImport.objects.all():
        assert "forget.me" not in str(list_import.preview)
    assert Suppression.objects.for_email("FORGET.ME@example.org").get().reason == "erased"


def test_someone_erased_between_preview_and_import_is_not_imported(
    admin_client, preview, import_now
):
    make_subscriber("gone@example.org", status="confirmed")
    page = preview("email,name\nnew@example.org,New\ngone@example.org,Gone\n")
    assert shown_rows(page)["gone@example.org"][0] == "Update"

    admin_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {
            "action": "erase",
            "_selected_action": [Subscriber.objects.get().pk],
            "confirm-erase": "yes",
        },
    )
    result = import_now(page)

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["new@example.org"]
    assert shown_rows(result)["g…@example.org"] == (
        "Suppressed",
        "erased since the file was read",
    )


def test_the_page_says_while_a_job_is_still_running(admin_client, run_jobs):
    response = admin_client.post(
        IMPORT,
        {
            "csv_file": upload("email\na@example.org\n"),
            "source_label": "X",
            "consent_checked": "on",
        },
    )

    reading = admin_client.get(response["Location"])
    html = reading.content.decode()
    assert "The file is being read in the background" in html
    assert f'<a href="{response["Location"]}">Check again</a>' in html
    assert "Import 1" not in html
    run_jobs()
    ready = admin_client.get(response["Location"])
    admin_client.post(response["Location"], {"action": "import"})
    importing = admin_client.get(response["Location"]).content.decode()
    assert "The import is running in the background" in importing
    assert "Check again" in importing
    assert "Import 1 person" in ready.content.decode()


def test_import_clicked_twice_imports_once(admin_client, preview, run_jobs):
    page = preview("email\na@example.org\nb@example.org\n")
    url = page.wsgi_request.path

    first = admin_client.post(url, {"action": "import"}, follow=True)
    second = admin_client.post(url, {"action": "import"}, follow=True)
    ran = run_jobs()

    assert ran == 1
    assert "The import has started." in first.content.decode()
    assert "This import was already started: it runs only once." in second.content.decode()
    assert Subscriber.objects.count() == 2
    assert ListImport.objects.get().result["new"] == 2
    # Even the job run a second time (a worker restarted mid-job) does nothing more.
    from newsletter.tasks import list_import_apply_job

    list_import_apply_job.call(ListImport.objects.get().pk)
    assert Subscriber.objects.count() == 2


def test_errors_sit_beside_their_fields_and_the_chosen_file_is_kept(admin_client, preview):
    first = admin_client.post(IMPORT, {"csv_file": upload("email\nkept@example.org\n", "mine.csv")})

    html = first.content.decode()
    assert first.status_code == 200
    # Each error follows its own field and is tied to it for screen readers.
    assert re.search(
        r'<input type="checkbox" name="consent_checked"[^>]*'
        r'aria-describedby="id_consent_checked_error"',
        html,
    )
    assert re.search(
        r'id="id_consent_checked">\s*<label[^>]*>[^<]*</label>\s*</div>\s*'
        r'<ul class="errorlist" id="id_consent_checked_error"><li>Tick this box to confirm',
        html,
    )
    assert 'id="id_source_label_error"><li>Say where this list comes from.' in html
    assert 'id="id_csv_file_error"' not in html
    assert "Kept from your last try: mine.csv." in html
    kept = re.search(r'<input type="hidden" name="kept" value="(\d+)">', html)[1]

    # The second try sends no file: the kept one is used.
    second = admin_client.post(
        IMPORT, {"kept": kept, "source_label": "Second try", "consent_checked": "on"}
    )
    assert second.status_code == 302
    assert ListImport.objects.get().source_label == "Second try"
    assert ListImport.objects.get().original_name == "mine.csv"


def test_a_missing_file_is_reported_under_the_file_field(admin_client):
    response = admin_client.post(IMPORT, {"source_label": "No file", "consent_checked": "on"})

    html = response.content.decode()
    assert '<ul class="errorlist" id="id_csv_file_error"><li>Choose the CSV file to import.' in html
    assert re.search(
        r'<input type="file"[^>]*aria-describedby="id_csv_file_helptext id_csv_file_error"', html
    )
    assert not ListImport.objects.exists()


def test_a_kept_file_is_only_its_uploaders(admin_client, client, django_user_model):
    admin_client.post(IMPORT, {"csv_file": upload("email\na@example.org\n")})
    kept = ListImport.objects.get()
    other = django_user_model.objects.create_superuser("other", "other@example.org", None)
    client.force_login(other)

    response = client.post(
        IMPORT, {"kept": kept.pk, "source_label": "Not mine", "consent_checked": "on"}
    )

    assert response.status_code == 200
    assert "Choose the CSV file to import." in response.content.decode()
    kept.refresh_from_db()
    assert kept.state == "draft"


def test_a_file_too_large_is_refused_at_once(admin_client, settings):
    big = "email\n" + "someone@example.org\n" * 300_000

    response = admin_client.post(
        IMPORT, {"csv_file": upload(big), "source_label": "Big", "consent_checked": "on"}
    )

    assert "The file is larger than 5 MB: split it." in response.content.decode()
    assert not ListImport.objects.exists()


def test_the_file_is_private_and_deleted_once_read(admin_client, preview, settings):
    page = preview("email\na@example.org\n")

    folder = settings.PRIVATE_MEDIA_ROOT / "newsletter" / "imports"
    assert folder.is_dir() and not any(folder.iterdir())
    assert not page.context["list_import"].file


def test_discarding_a_preview_imports_nothing(admin_client, preview):
    page = preview("email\na@example.org\n")

    response = admin_client.post(page.wsgi_request.path, {"action": "discard"}, follow=True)
    again = admin_client.post(page.wsgi_request.path, {"action": "import"}, follow=True)

    assert "The file and its preview were deleted." in response.content.decode()
    assert "This import was already started" in again.content.decode()
    assert not Subscriber.objects.exists()
    assert ListImport.objects.get().preview == []


def test_the_preview_table_is_accessible(preview):
    html = preview("email\na@example.org\nnot-an-address\n").content.decode()

    assert "<caption>What the import will do</caption>" in html
    assert "What will happen to each row" in html
    assert '<th scope="col">Outcome</th>' in html
    assert '<th scope="row">2</th>' in html
    assert 'href="?outcome=invalid"' in html


def test_rows_can_be_shown_by_outcome(admin_client, preview):
    page = preview("email\na@example.org\nnot-an-address\n")

    invalid = admin_client.get(page.wsgi_request.path, {"outcome": "invalid"})

    assert list(shown_rows(invalid)) == ["not-an-address"]
    assert "Rows: Invalid" in invalid.content.decode()
