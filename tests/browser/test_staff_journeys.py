"""Staff journeys through the admin in Chromium, as an editor (not a superuser) would make them:
scheduling and publishing a page with a picture, history and restore, drafts of live pages,
copying Celebrate Babies Week to next year, and a form with errors.

The mouse is used where a person reaches for it (buttons, links, checkboxes, file choosers);
text is typed, and the keyboard drives the error summary. Every journey fails on a console
error, an uncaught exception or an HTTP error the journey does not expect.
"""

import datetime
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Campaign, Event
from iecmh_site.groups import EDITORS_GROUP
from pages.models import Page
from tests.factories import image_bytes, make_page

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

PASSWORD = "a long and unusual test password"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    # The live server answers from its own thread: pictures are processed as soon as queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        username="editor", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


class Problems(list):
    """Console errors, uncaught exceptions and HTTP errors seen by pages, except the error
    answers a journey expects (``expected``: {url: status})."""

    def __init__(self):
        super().__init__()
        self.expected = {}

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.append(f"uncaught: {e}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        return page

    def _request_failed(self, request):
        # A quick click away from a page still loading its icons cancels them: not a fault.
        if request.failure != "net::ERR_ABORTED":
            self.append(f"failed: {request.failure} {request.url}")

    def _console(self, message):
        if message.type != "error":
            return
        # The browser logs every error answer; the expected ones are not faults.
        if message.location.get("url") in self.expected and message.text.startswith(
            "Failed to load resource"
        ):
            return
        self.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400 and self.expected.get(response.url) != response.status:
            self.append(f"{response.status} {response.url}")


@pytest.fixture
def problems(page):
    found = Problems()
    found.watch(page)
    return found


@pytest.fixture
def visitor(browser, problems):
    """A page in a browser context of its own: someone who is not signed in."""
    context = browser.new_context()
    yield problems.watch(context.new_page())
    context.close()


def log_in(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").click()
    page.keyboard.type("editor")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#user-tools")).to_contain_text("editor")


def type_into(page, selector: str, text: str) -> None:
    """Click a field and type, as a person does (selecting what was there first)."""
    page.locator(selector).click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def tab_to(page, locator, limit: int = 30) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def run_action(page, label: str) -> None:
    page.locator("select[name=action]").select_option(label=label)
    page.get_by_role("button", name="Go").click()


def axe_violations(page) -> list[str]:
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


def assert_no_axe_violations(page, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"axe-core violations on {where}:\n" + "\n".join(found)


def test_editor_schedules_a_page_with_a_picture_then_publishes_it_from_the_list(
    page, live_server, editor, problems, visitor, tmp_path
):
    picture = tmp_path / "toddlers-reading.png"
    picture.write_bytes(image_bytes(size=(900, 600)))
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/pages/page/add/")

    type_into(page, "#id_title_en", "Reading with toddlers")
    expect(page.locator("#id_slug")).to_have_value("reading-with-toddlers")
    type_into(page, "#id_summary_en", "Why reading together matters from the first year.")
    with page.expect_file_chooser() as chooser:
        page.locator("#id_hero_image").click()
    chooser.value.set_files(picture)
    type_into(page, "#id_hero_alt_en", "A parent reading a picture book with a toddler.")
    type_into(page, "#id_publish_at_0", "10/21/2099")
    type_into(page, "#id_publish_at_1", "3:00 PM")
    # An impatient double click adds the page once.
    page.get_by_role("button", name="Save", exact=True).dblclick()

    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("was added successfully")
    expect(messages).to_contain_text("Scheduled: visitors will see it from Oct 21, 2099 at 3:00 PM")
    [created] = Page.objects.filter(slug="reading-with-toddlers")
    assert timezone.localtime(created.publish_at).replace(tzinfo=None) == datetime.datetime(
        2099, 10, 21, 15, 0
    )
    row = page.locator("#result_list tbody tr", has_text="Reading with toddlers")
    expect(row).to_contain_text("Scheduled for Oct 21, 2099")

    # Not public yet.
    public_url = live_server.url + "/reading-with-toddlers/"
    problems.expected[public_url] = 404
    assert visitor.goto(public_url).status == 404

    row.get_by_role("checkbox").check()
    run_action(page, "Publish the selected items now")
    expect(messages).to_contain_text("Published 1 item(s).")
    expect(row).to_contain_text("Published")
    expect(row).not_to_contain_text("Scheduled")

    del problems.expected[public_url]
    assert visitor.goto(public_url).status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Reading with toddlers")
    hero = visitor.get_by_role("img", name="A parent reading a picture book with a toddler.")
    expect(hero).to_be_visible()
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    assert problems == [], problems


def test_editor_compares_versions_and_restores_an_older_one(
    page, live_server, editor, problems, visitor
):
    target = make_page(
        "Our Mission",
        summary="The partnership supports the people who work with babies.",
        body="<p>Original words.</p>",
    )
    log_in(page, live_server)
    change_url = f"{live_server.url}/admin/pages/page/{target.pk}/change/"

    page.goto(change_url)
    type_into(page, "#id_summary_en", "The partnership trains the people who work with babies.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(change_url)
    type_into(page, "#id_summary_en", "The partnership funds the people who work with babies.")
    # The caret must have reached the end, for the browser and for the editor, before the
    # next keys: the editor takes a click's caret a moment later, and in 1 run in 10 the new
    # words went before the old ones.
    editor = page.locator(".ProseMirror[contenteditable=true] >> nth=0")
    expect(editor).to_contain_text("Original words.")
    editor.click()
    expect(editor).to_be_focused()
    page.keyboard.press("Control+End")
    page.wait_for_function(
        """() => {
            const s = getSelection();
            return s.isCollapsed && s.focusNode.nodeType === Node.TEXT_NODE
                && s.focusNode.textContent.endsWith("Original words.")
                && s.focusOffset === s.focusNode.textContent.length;
        }"""
    )
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
    page.keyboard.press("Enter")
    page.keyboard.type("For ages 0 < 3 & their families.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(change_url)
    page.get_by_role("link", name="History").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/page/{target.pk}/history/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("History: Our Mission")
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("(current)")
    assert_no_axe_violations(page, "the history page")

    rows.first.get_by_role("link", name="What changed").click()
    changes = page.locator("table.changes")
    expect(changes).to_be_visible()
    summary_row = changes.locator("tbody tr", has_text="Summary")
    expect(summary_row.locator("del")).to_contain_text("trains")
    expect(summary_row.locator("ins")).to_contain_text("funds")
    # Rich text is compared as the words a person reads, not as HTML entities.
    body_row = changes.locator("tbody tr", has_text="Body")
    expect(body_row.locator("td").nth(0)).to_have_text("Original words.")
    expect(body_row.locator("ins")).to_contain_text("For ages 0 ")
    body_added = body_row.locator("ins").inner_text()  # checked at the end: the journey goes on
    assert_no_axe_violations(page, "the comparison page")

    page.get_by_role("link", name="Back to the history").click()
    older = page.locator("#change-history tbody tr").nth(1)
    older.get_by_role("button", name=re.compile(r"^Restore this version \(saved ")).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/page/{target.pk}/change/$"))
    expect(page.locator(".messagelist")).to_contain_text("Restored the version saved")
    expect(page.locator("#id_summary_en")).to_have_value(
        "The partnership trains the people who work with babies."
    )

    visitor.goto(live_server.url + "/our-mission/")
    lead = visitor.locator("article .lead")
    expect(lead).to_have_text("The partnership trains the people who work with babies.")
    expect(visitor.locator("article")).to_contain_text("Original words.")
    expect(visitor.locator("article")).not_to_contain_text("For ages")

    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history tbody tr")).to_have_count(3)
    expect(page.locator("#change-history tbody tr").first).to_contain_text("Restored the version")
    assert problems == [], problems
    assert "For ages 0 < 3 & their families." in body_added, body_added


def test_editor_saves_a_draft_of_a_live_page_previews_it_then_publishes_it(
    page, live_server, editor, problems, visitor
):
    target = make_page(
        "Our Team", summary="Six people across two partner organizations.", body="<p>Hi.</p>"
    )
    log_in(page, live_server)
    change_url = f"{live_server.url}/admin/pages/page/{target.pk}/change/"
    page.goto(change_url)

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    # A changed form asks before the editor leaves it; staying keeps the typing.
    type_into(page, "#id_summary_en", "Seven people across two partner organizations.")
    page.get_by_role("link", name="History").click(no_wait_after=True)
    for _ in range(50):
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(change_url)
    expect(page.locator("#id_summary_en")).to_have_value(
        "Seven people across two partner organizations."
    )

    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Draft saved.")
    banner = page.locator(".draft-banner")
    expect(banner).to_contain_text("You are editing a draft")
    expect(page.locator("#id_summary_en")).to_have_value(
        "Seven people across two partner organizations."
    )
    # Checked at the end, so that the rest of the journey runs whatever axe finds.
    draft_form_violations = axe_violations(page)

    visitor.goto(live_server.url + "/our-team/")
    expect(visitor.locator("article .lead")).to_have_text(
        "Six people across two partner organizations."
    )
    expect(visitor.get_by_text("Preview of unpublished changes")).to_have_count(0)

    banner.get_by_role("link", name="Preview the draft").click()
    expect(page).to_have_url(f"{live_server.url}/our-team/?draft")
    expect(page.locator("article .lead")).to_have_text(
        "Seven people across two partner organizations."
    )
    expect(page.get_by_role("status")).to_contain_text("Preview of unpublished changes")

    page.go_back()
    expect(page.locator(".draft-banner")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(change_url)
    expect(page.locator(".draft-banner")).to_have_count(0)

    visitor.reload()
    expect(visitor.locator("article .lead")).to_have_text(
        "Seven people across two partner organizations."
    )
    assert dialogs == ["beforeunload"], "only the changed form asks before leaving"
    assert problems == [], problems
    assert not draft_form_violations, (
        "axe-core violations on a change form showing the draft banner:\n"
        + "\n".join(draft_form_violations)
    )


def test_editor_copies_the_week_to_next_year_and_publishes_it(
    page, live_server, editor, problems, visitor
):
    call_command("seed_demo", stdout=io.StringIO())
    demo = Campaign.objects.get(year=2025)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/events/campaign/")

    page.locator("#result_list tbody tr", has_text=demo.name).get_by_role("checkbox").check()
    run_action(page, "Copy to next year (as drafts, same weekdays)")
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text(f"{demo.name} was copied to")
    copy = Campaign.objects.get(year=2026)
    messages.get_by_role("link", name=copy.name).click()

    expect(page).to_have_url(re.compile(rf"/admin/events/campaign/{copy.pk}/change/$"))
    checks = page.locator("fieldset", has_text="Before publishing, check")
    expect(checks).to_be_visible()
    expect(checks.locator(".check-list li").first).to_be_visible()
    activities = page.locator(".inline-group", has_text="Governor")
    expect(activities).to_contain_text("Governor's proclamation of Celebrate Babies Week")
    expect(activities.locator("tbody tr.has_original")).to_have_count(copy.events.count())
    expect(activities.locator("input:not([type=hidden]), select, textarea")).to_have_count(0)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type_into(page, "#id_publish_at_0", f"{yesterday:%m/%d/%Y}")
    type_into(page, "#id_publish_at_1", "9am")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(messages).to_contain_text("was changed successfully")
    copy.refresh_from_db()
    assert copy.is_published

    page.goto(live_server.url + "/admin/events/event/")
    filters = page.locator("#changelist-filter")
    filters.locator("details[data-filter-title=when]").get_by_role("link", name="All").click()
    filters.locator("details[data-filter-title=campaign]").get_by_role(
        "link", name=copy.name
    ).click()
    expect(page).to_have_url(re.compile(rf"campaign__id__exact={copy.pk}"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(copy.events.count())
    page.locator("#action-toggle").check()
    run_action(page, "Publish the selected items now")
    expect(messages).to_contain_text(f"Published {copy.events.count()} item(s).")
    assert not Event.objects.filter(campaign=copy).exclude(publish_at__lte=timezone.now())

    # A published activity can now take drafts; its form shows the buttons above and below.
    rows.first.get_by_role("link").first.click()
    draft_buttons = page.get_by_role("button", name="Save as draft")
    expect(draft_buttons).to_have_count(2)
    described_by = [b.get_attribute("aria-describedby") for b in draft_buttons.all()]
    assert len(set(described_by)) == 2, described_by
    for help_id in described_by:
        expect(page.locator(f"[id='{help_id}']")).to_have_count(1)

    visitor.goto(f"{live_server.url}/celebrate-babies-week/{copy.year}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(copy.name)
    agenda = visitor.locator(".campaign-agenda")
    for event in copy.events.all():
        expect(agenda).to_contain_text(event.title)
    expect(visitor.get_by_text("Preview of")).to_have_count(0)
    assert problems == [], problems


def test_an_empty_form_leads_the_editor_from_the_error_summary_to_each_field(
    page, live_server, editor, problems
):
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/pages/page/add/")
    with page.expect_navigation(wait_until="load"):  # every script has run: focus is settled
        page.get_by_role("button", name="Save", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    first_link = summary.get_by_role("link").first
    expect(first_link).to_contain_text("Title")

    page.keyboard.press("Tab")
    expect(first_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_title_en")).to_be_focused()
    page.keyboard.type("Typed after following the link")
    expect(page.locator("#id_title_en")).to_have_value("Typed after following the link")

    # Every other link leads to its own field too.
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)  # title, address (slug) and summary
    for index in range(1, links.count()):
        link = links.nth(index)
        target = link.get_attribute("href")
        link.click()
        expect(page.locator(target)).to_be_focused()

    # A date-and-time field is two inputs: its error leads to the first.
    type_into(page, "#id_summary_en", "A summary.")
    type_into(page, "#id_publish_at_0", "13/45/2099")
    type_into(page, "#id_publish_at_1", "3:00 PM")
    with page.expect_navigation(wait_until="load"):  # every script has run: focus is settled
        page.get_by_role("button", name="Save", exact=True).click()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Publish from")
    tab_to(page, summary.get_by_role("link", name=re.compile("^Publish from")))
    page.keyboard.press("Enter")
    expect(page.locator("#id_publish_at_0")).to_be_focused()
    expect(page.locator("#id_publish_at_0")).to_have_value("13/45/2099")
    assert problems == [], problems


def test_an_error_on_an_autocomplete_field_leads_to_its_search_box(
    page, live_server, editor, problems
):
    section = make_page("Programs")
    child = make_page("Home visiting", parent=section)
    Page.objects.filter(pk=section.pk).update(parent=child)  # a loop the form refuses
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/pages/page/{section.pk}/change/")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save", exact=True).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Parent: A page cannot be inside itself.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # The <select> behind the box is hidden: the box a person uses has the focus.
    expect(page.locator(".field-parent .select2-selection")).to_be_focused()
    assert problems == [], problems
