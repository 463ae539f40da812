"""Importing a mailing list in the admin by keyboard, with axe checking every step."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from newsletter.models import Subscriber

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

PASSWORD = "a long and unusual test password"
MAILCHIMP = (
    "Email Address,First Name,Last Name,TAGS\n"
    "ana@example.org,Ana,Souza,Trainings\n"
    "ANA@example.org,Ana,Again,\n"
    "bo@example.org,Bo,,\n"
)


def tab_to(page, selector: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def no_violations(page) -> None:
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_import_a_mailchimp_export_by_keyboard(page, live_server, settings, django_user_model):
    # The live server answers from its own thread: jobs run there, as soon as queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    django_user_model.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/newsletter/subscriber/import/")
    no_violations(page)

    # The file chooser is the system's dialog; the rest is typed.
    tab_to(page, "#id_csv_file")
    page.set_input_files(
        "#id_csv_file",
        files=[{"name": "mailchimp.csv", "mimeType": "text/csv", "buffer": MAILCHIMP.encode()}],
    )
    tab_to(page, "#id_source_label")
    page.keyboard.type("Mailchimp, March 2025")
    tab_to(page, "input[type=submit]")
    page.keyboard.press("Enter")

    # The consent box was not ticked: its error is beside it, the file is kept.
    expect(page.locator("#id_consent_checked_error")).to_contain_text("Tick this box")
    expect(page.locator("#id_consent_checked")).to_have_attribute(
        "aria-describedby", "id_consent_checked_error"
    )
    expect(page.locator("#id_csv_file_helptext")).to_contain_text(
        "Kept from your last try: mailchimp.csv"
    )
    no_violations(page)
    tab_to(page, "#id_consent_checked")
    page.keyboard.press("Space")
    tab_to(page, "input[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("button", name="Import 2 people")).to_be_visible()
    rows = page.get_by_role("table", name="What will happen to each row")
    expect(rows).to_contain_text("Duplicate within the file")
    assert not Subscriber.objects.exists()
    no_violations(page)
    tab_to(page, "button[value=import]")
    page.keyboard.press("Enter")

    expect(page.locator("[role=status]")).to_contain_text("Import finished")
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "ana@example.org",
        "bo@example.org",
    ]
    no_violations(page)
