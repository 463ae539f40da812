"""What visitors see at a phone's, a small laptop's and a desktop's width (390, 1024, 1280 px).

Cards in a row share their top and never overlap, navigation items stay on one line, the
home page's release card is padded once, Celebrate Babies Week uses the width, a report's
title and Download button come first on a phone and its PDF opens in the browser, list
filters fold on phones, filtered lists say how many they found, and the footer signup takes
one step with JavaScript (two without).

Seeding the demo takes a while: each test that needs it checks several widths and pages.
"""

import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from events.models import Event, EventStatus
from newsletter.models import Subscriber
from reports.models import Report
from tests.conftest import run_queued_jobs
from tests.factories import make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

HEIGHT = 844
WIDTHS = [390, 1024, 1280]
PHONE, LAPTOP, DESKTOP = WIDTHS
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Problems of the grids on the page: a row whose cards do not share their top, cards that
# overlap, and a page wider than the window.
GRID_PROBLEMS = """() => {
  const problems = [];
  const box = (el) => el.getBoundingClientRect();
  const name = (el) => [el.tagName.toLowerCase(), ...el.classList].join(".");
  for (const grid of document.querySelectorAll(".grid, .campaign-agenda")) {
    if (grid.offsetParent === null) continue;
    const items = [...grid.children].filter((el) => el.offsetParent !== null);
    const rows = [];
    for (const el of items) {
      const last = rows.length ? rows[rows.length - 1] : null;
      if (last && box(el).left > box(last[last.length - 1]).left) last.push(el);
      else rows.push([el]);
    }
    for (const row of rows) {
      const tops = row.map((el) => Math.round(box(el).top));
      if (Math.max(...tops) - Math.min(...tops) > 1) {
        problems.push(`${name(grid)}: a row's cards start at ${tops.join(", ")}`);
      }
    }
    items.forEach((a, i) => items.slice(i + 1).forEach((b) => {
      const p = box(a), q = box(b);
      const apart = p.right <= q.left + 1 || q.right <= p.left + 1
        || p.bottom <= q.top + 1 || q.bottom <= p.top + 1;
      if (!apart) {
        problems.push(`${name(grid)}: ${name(a)} overlaps ${name(b)}`);
      }
    }));
  }
  if (document.documentElement.scrollWidth > innerWidth) {
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  }
  return problems;
}"""

# Each visible navigation link: its text, its top, and on how many lines its text sits.
NAV_ITEMS = """() => [...document.querySelectorAll("#site-nav .site-nav__list a")]
  .filter((a) => a.offsetParent !== null)
  .map((a) => {
    const range = document.createRange();
    range.selectNodeContents(a);
    const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0)
      .map((r) => Math.round(r.top))).size;
    return {text: a.textContent.trim(), top: Math.round(a.getBoundingClientRect().top), lines};
  })"""


def box(locator) -> dict:
    rect = locator.bounding_box()
    assert rect is not None, f"{locator} is not shown"
    return rect


@pytest.fixture
def visit(page, live_server):
    page.emulate_media(reduced_motion="reduce")  # instant scrolling

    def go(path: str, width: int = DESKTOP):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        return response

    return go


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    run_queued_jobs()  # the pictures and PDFs, as the worker would
    campaign = Event.objects.exclude(campaign=None).first().campaign
    return {
        "report": Report.objects.published().featured().first(),
        "campaign": campaign.get_absolute_url(),
    }


def test_pages_lay_out_cleanly_at_every_width(visit, page, demo):
    report = demo["report"].get_absolute_url()
    problems = {}
    for width in WIDTHS:
        for path in ["/", "/reports/", "/events/", "/professional-development/", report]:
            visit(path, width)
            if found := page.evaluate(GRID_PROBLEMS):
                problems[f"{path} at {width} px"] = found

        # The home page's release card: indented and spaced once, not twice.
        visit("/", width)
        hero = box(page.locator(".hero"))
        release = box(page.locator(".release"))
        assert abs(release["x"] - box(page.locator(".hero .container"))["x"]) <= 1, width
        gap = release["y"] - (hero["y"] + hero["height"])
        assert 0 < gap <= 48, f"{gap:.0f} px above the release card at {width} px"

        # Navigation: no item on two lines; one row from 1024 px, one item a row in the menu.
        if width < 1024:
            page.get_by_role("button", name="Menu").click()
        items = page.evaluate(NAV_ITEMS)
        assert len(items) >= 5 and all(item["lines"] == 1 for item in items), items
        tops = [item["top"] for item in items]
        if width >= 1024:
            assert len(set(tops)) == 1, f"the navigation wraps at {width} px: {items}"
        else:
            assert tops == sorted(set(tops)), items

        # Celebrate Babies Week: the days side by side where there is room.
        visit(demo["campaign"], width)
        if found := page.evaluate(GRID_PROBLEMS):
            problems[f"{demo['campaign']} at {width} px"] = found
        days = page.locator(".campaign-day")
        day_tops = [round(box(days.nth(n))["y"]) for n in range(days.count())]
        per_row = max(day_tops.count(top) for top in day_tops)
        assert len(day_tops) >= 5
        assert per_row >= 3 if width >= 1024 else per_row == 1, (width, day_tops)
    assert not problems


def test_a_report_puts_title_and_download_first_and_its_pdf_opens(visit, page, demo):
    report = demo["report"]
    for width in WIDTHS:
        visit(report.get_absolute_url(), width)
        title = box(page.get_by_role("heading", level=1))
        download = box(page.get_by_role("link", name="Download the report"))
        cover = box(page.locator(".report__cover"))
        assert title["y"] + title["height"] <= HEIGHT, width
        assert download["y"] + download["height"] <= HEIGHT, f"Download at {download['y']:.0f}"
        if width < 768:
            assert cover["y"] >= download["y"] + download["height"], "the cover comes first"
            assert cover["width"] <= 200
        else:
            assert cover["x"] + cover["width"] <= title["x"], "the cover sits beside the text"

    downloads = []
    page.on("download", lambda download: downloads.append(download))
    with page.expect_response(re.compile(r"/download/$")) as opened:
        page.get_by_role("link", name="Download the report").click()
    page.wait_for_load_state()

    assert opened.value.status == 200
    assert opened.value.headers["content-disposition"] == (
        f'inline; filename="{report.download_filename()}"'
    )
    assert page.url.endswith(report.get_download_url())  # open in the browser's PDF viewer
    assert downloads == []
    report.refresh_from_db()
    assert report.download_count == 1


def test_lists_fold_their_filters_on_phones_and_say_what_they_found(visit, page, demo):
    for width in WIDTHS:
        for path in ["/reports/", "/events/", "/professional-development/"]:
            visit(path, width)
            panel = page.locator("details[data-filters-panel]")
            first_field = panel.locator("select").first
            results = page.locator(".report-count, #results").first
            if width < 768:
                expect(panel).not_to_have_attribute("open", "")
                expect(first_field).to_be_hidden()
                if path != "/professional-development/":  # there the roles come first
                    assert box(results)["y"] < HEIGHT, f"results start below the fold: {path}"
                panel.locator("summary").click()
                expect(first_field).to_be_visible()
            else:
                expect(panel).to_have_attribute("open", "")
                expect(first_field).to_be_visible()

    # "Events" lists every event; "Professional development" trainings, by role first.
    visit("/events/", PHONE)
    expect(page.locator("main .lead")).to_contain_text("Every upcoming event")
    events = page.locator(".event-list > li h3").all_inner_texts()
    visit("/professional-development/", PHONE)
    expect(page.locator("main .lead")).to_contain_text("Trainings, webinars and conferences only")
    trainings = page.locator(".event-list > li h3").all_inner_texts()
    assert set(trainings) < set(events), "the two lists show the same events"
    roles = page.get_by_role("list", name="Trainings for your role")
    assert box(roles)["y"] < box(page.locator("details[data-filters-panel]"))["y"]
    roles.get_by_role("link", name="Home visitors").click()
    expect(page).to_have_title(re.compile(r"^\d+ trainings? found: Professional development"))

    # A filtered list says how many it found in its title (what a screen reader announces
    # when the page loads) and in the heading above the results.
    visit("/events/", DESKTOP)
    page.get_by_label("Type").select_option(label="Training")
    page.get_by_role("button", name="Show events").click()
    expect(page).to_have_title(re.compile(r"^\d+ events? found: Events \| "))
    count = re.match(r"\d+", page.title())[0]
    expect(page.locator("#results")).to_have_text(re.compile(rf"^{count} upcoming events? found$"))
    expect(page.get_by_text("Filter events (1 applied)")).to_be_visible()


def test_the_cancelled_banner_says_it_once(visit, page):
    event = make_event(
        "Working with families", event_status=EventStatus.CANCELLED, status_note="Ill."
    )
    visit(event.get_absolute_url())
    banner = page.locator(".banner--danger")

    expect(banner).to_have_count(1)
    spoken = banner.aria_snapshot()
    assert spoken.lower().count("cancel") == 1, spoken


def test_footer_signup_takes_one_step_with_javascript(visit, page, settings):
    settings.TASKS = IMMEDIATE  # the live server's thread runs the jobs as they are queued
    response = visit("/events/", PHONE)
    assert "csrfmiddlewaretoken" not in response.text()

    footer = page.locator(".footer-signup")
    footer.get_by_label("Email address").fill("one.step@example.org")
    footer.get_by_role("button", name="Sign up").click()

    # The post waits until the form is old enough not to look automated (2 s by default).
    expect(page).to_have_url(re.compile(r"/newsletter/thanks/$"), timeout=10_000)
    subscriber = Subscriber.objects.get(email="one.step@example.org")
    assert subscriber.source == Subscriber.Source.FOOTER
    assert subscriber.wants_trainings and subscriber.wants_reports


def test_footer_signup_takes_two_steps_without_javascript(browser, live_server, settings):
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0  # a fast test is not a bot
    settings.TASKS = IMMEDIATE
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": PHONE, "height": HEIGHT}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/reports/")
        footer = page.locator(".footer-signup")
        footer.get_by_label("Email address").fill("two.steps@example.org")
        footer.get_by_role("button", name="Sign up").click()

        expect(page).to_have_url(re.compile(r"/newsletter/\?email=two.steps%40example.org$"))
        expect(page.locator("#id_email")).to_have_value("two.steps@example.org")
        page.locator("main form").get_by_role("button", name="Sign up").click()
        expect(page).to_have_url(re.compile(r"/newsletter/thanks/$"))
    finally:
        context.close()
    assert Subscriber.objects.get(email="two.steps@example.org").source == "footer"
