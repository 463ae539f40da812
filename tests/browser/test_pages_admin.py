import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from iecmh_site.groups import EDITORS_GROUP
from tests.factories import make_page

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long and unusual test password"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        username="editor", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def test_editor_changes_a_page_with_the_rich_text_editor(page, live_server, editor):
    target = make_page("Our Work", body="<p>Original words.</p>")
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/pages/page/{target.pk}/change/")

    editor_area = page.locator(".ProseMirror[contenteditable=true] >> nth=0")
    expect(editor_area).to_be_visible()
    editor_area.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Freshly added by staff.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(live_server.url + "/our-work/")
    expect(page.locator("article")).to_contain_text("Original words.")
    expect(page.locator("article")).to_contain_text("Freshly added by staff.")
    assert problems == [], problems
