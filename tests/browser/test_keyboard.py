"""Keyboard and screen-reader paths through the demo site, by keyboard alone.

The skip link and the phone menu's basics are in test_site.py; the footer signup is in
test_newsletter.py. Here: focus is visible at every stop and never trapped, the primary
navigation, a list filter, and the signup form's error path then success path.
"""

import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import run_queued_jobs

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# What the focused element looks like: a describable, visible focus indicator or not.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    name: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : ""),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < innerHeight && rect.left < innerWidth,
    order: [...document.querySelectorAll("*")].indexOf(el),
  };
}"""


@pytest.fixture
def demo_site(live_server, page):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    run_queued_jobs()  # the pictures and PDFs, as the worker would
    # Instant scrolling, so "the focused element is in view" holds right after each Tab.
    page.emulate_media(reduced_motion="reduce")
    return live_server.url


def press_tab(page, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) and return the focused element, asserting its focus is seen."""
    page.keyboard.press(key)
    state = page.evaluate(FOCUS_STATE)
    assert state is not None, f"{key} left focus on the page body"
    assert state["outline"] or state["shadow"], f"no visible focus indicator on {state['name']}"
    assert state["onScreen"], f"focused {state['name']} is scrolled out of view or hidden"
    return state


def tab_until(page, selector: str, limit: int = 80) -> list[dict]:
    """Tab forward, checking every stop, until the element matching selector has focus."""
    stops = []
    for _ in range(limit):
        stops.append(press_tab(page))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"Tab never reached {selector}; stops: {[s['name'] for s in stops]}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_focus_is_visible_at_every_stop_and_never_trapped(page, demo_site, viewport):
    page.set_viewport_size(viewport)
    page.goto(demo_site + "/celebrate-babies-week/")
    last = page.evaluate(
        """() => {
          const all = [...document.querySelectorAll("a[href], button, input, select, textarea")]
            .filter(el => el.tabIndex >= 0 && el.offsetParent !== null && !el.disabled);
          const el = all[all.length - 1];
          el.dataset.lastStop = "";
          return el.outerHTML.slice(0, 80);
        }"""
    )

    stops = tab_until(page, "[data-last-stop]", limit=150)

    # Every stop on the way, header to footer, showed its focus (checked by tab_until) in
    # reading order, and focus went on past the last one: out of the page, not into a trap.
    order = [stop["order"] for stop in stops]
    assert order == sorted(set(order)), f"focus order is not reading order: {stops}"
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.activeElement.matches('[data-last-stop]')"), last
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement !== document.body")


def test_skip_link_is_shown_on_focus_and_the_next_stop_is_in_the_content(page, demo_site):
    page.goto(demo_site + "/events/")

    state = press_tab(page)
    assert state["name"] == "a[href=#main]"
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    state = press_tab(page)
    assert page.evaluate("() => !!document.activeElement.closest('main')"), state["name"]


def test_primary_navigation_by_keyboard(page, demo_site):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_site + "/")
    nav_links = page.get_by_role("navigation", name="Main").get_by_role("link")
    hrefs = [link.get_attribute("href") for link in nav_links.all()]
    assert len(hrefs) >= 3, hrefs

    tab_until(page, "#site-nav a")
    visited = [page.evaluate("() => document.activeElement.getAttribute('href')")]
    for _ in hrefs[1:]:
        press_tab(page)
        visited.append(page.evaluate("() => document.activeElement.getAttribute('href')"))
    assert visited == hrefs  # every item, in reading order

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo_site + hrefs[-2])
    current = page.locator("#site-nav a[aria-current='page']")
    expect(current).to_have_attribute("href", hrefs[-2])


def test_phone_navigation_opens_walks_and_closes_by_keyboard(page, demo_site):
    page.set_viewport_size(PHONE)
    page.goto(demo_site + "/")
    toggle = page.locator("[data-menu-toggle]")
    nav_links = page.locator("#site-nav .site-nav__list a")

    # Closed: Tab passes the menu by, and lands in the page content.
    tab_until(page, "[data-menu-toggle]")
    press_tab(page)
    assert page.evaluate("() => !!document.activeElement.closest('main')")

    page.keyboard.press("Shift+Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    for index in range(nav_links.count()):
        press_tab(page)
        expect(nav_links.nth(index)).to_be_focused()
    # Past the last item focus leaves the menu for the content: no trap.
    press_tab(page)
    assert page.evaluate("() => !!document.activeElement.closest('main')")

    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(nav_links.first).to_be_hidden()


def test_filter_the_event_list_by_keyboard(page, demo_site):
    page.goto(demo_site + "/events/")
    cards = page.locator(".event-list > li")
    unfiltered = cards.count()
    assert unfiltered > 1

    tab_until(page, "#id_format")
    page.keyboard.press("ArrowDown")  # "Any format" -> the first format
    chosen = page.locator("#id_format").input_value()
    assert chosen
    tab_until(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"[?&]format={chosen}(&|$)"))
    expect(page.locator("#id_format")).to_have_value(chosen)
    assert cards.count() < unfiltered or page.get_by_text("No events match").is_visible()
    tab_until(page, "form.filters a")  # "Clear filters"
    page.keyboard.press("Enter")
    expect(page).to_have_url(demo_site + "/events/")
    expect(cards).to_have_count(unfiltered)


def test_signup_by_keyboard_announces_errors_then_succeeds(page, demo_site, settings):
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0  # a fast test is not a bot
    page.goto(demo_site + "/newsletter/")

    tab_until(page, "#id_email")
    page.keyboard.type("not-an-email")
    tab_until(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    email = page.locator("#id_email")
    expect(email).to_have_value("not-an-email")
    described_by = email.get_attribute("aria-describedby") or ""
    messages = [page.locator(f"[id='{id_}']").inner_text() for id_ in described_by.split()]
    assert any("valid email" in message for message in messages), (described_by, messages)
    expect(email).to_have_attribute("aria-invalid", "true")

    # The summary links to the field: follow it, correct the address, send again.
    press_tab(page)
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(email).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("keyboard.person@example.org")
    tab_until(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/newsletter/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
