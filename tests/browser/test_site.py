import pytest
from playwright.sync_api import expect

from tests.factories import make_page

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def program_pages():
    make_page("Our Work", show_in_navigation=True, navigation_order=1, body="<p>Who we are.</p>")
    make_page("The Need", show_in_navigation=True, navigation_order=2)


def test_phone_menu_by_keyboard_reaches_another_page(page, live_server, program_pages):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    toggle = page.locator("[data-menu-toggle]")
    first_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Our Work")

    expect(first_link).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Tab")  # the site name
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="Search the site").first).to_be_focused()
    page.keyboard.press("Tab")  # its button
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Español")).to_be_focused()  # the language switcher
    page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(first_link).to_be_visible()
    page.keyboard.press("Tab")
    expect(first_link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_server.url + "/our-work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our Work")


def test_phone_menu_closes_with_escape_and_returns_focus(page, live_server, program_pages):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    toggle = page.locator("[data-menu-toggle]")

    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")

    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(page.locator("#site-nav")).to_be_hidden()


def test_phone_menu_works_without_javascript(browser, live_server, program_pages):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")

    page.get_by_role("link", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="The Need").click()

    expect(page).to_have_url(live_server.url + "/the-need/")
    context.close()


def test_skip_link_moves_focus_to_the_main_content(page, live_server, program_pages):
    page.goto(live_server.url + "/our-work/")

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_the_header_search_box_finds_from_any_page(page, live_server, program_pages, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/our-work/")

    search = page.get_by_role("search", name="Site", exact=True)
    box = search.get_by_role("searchbox", name="Search the site")
    expect(box).to_be_visible()
    box.fill("who we ARE?")  # stop words and punctuation: "who", "we", "are" say nothing
    box.press("Enter")
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text("0 results")

    box = page.get_by_role("search", name="Site", exact=True).get_by_role("searchbox")
    box.fill("Our work")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(live_server.url + "/search/?q=Our+work")
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text(
        "1 result for “Our work”: 1 page."
    )
    expect(page.get_by_role("heading", level=2, name="Pages (1)")).to_be_visible()
    page.get_by_role("link", name="Our Work").last.click()
    expect(page).to_have_url(live_server.url + "/our-work/")
