"""Rich text: heading levels, the editor's configuration, stable links and the picker's search."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Campaign, Event
from iecmh_site import links, richtext
from iecmh_site.richtext import RichTextField
from iecmh_site.site import LINK_TARGETS_LIMIT
from pages.models import Page
from reports.models import Report
from tests.factories import make_event, make_page, make_report

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def hrefs(html: str) -> dict[str, str]:
    """Link text -> href of each link in ``html``."""
    return {
        re.sub(r"<[^>]+>", "", text): href
        for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
    }


def article(response) -> str:
    html = response.content.decode()
    return html[html.index("<article") : html.index("</article>")]


# ---- headings ----


def test_editor_offers_the_heading_levels_the_design_uses():
    assert richtext.EXTENSIONS["Heading"] == {"levels": [2, 3]}


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        ("<h1>Title</h1>", "<h2>Title</h2>"),
        ("<h2>Section</h2>", "<h2>Section</h2>"),
        ("<h3>Part</h3>", "<h3>Part</h3>"),
        ("<h4>Detail</h4>", "<h3>Detail</h3>"),
        ('<H5 class="x" onclick="alert(1)">Small</H5>', "<h3>Small</h3>"),
        ("<h6>Tiny <em>one</em></h6><p>Text</p>", "<h3>Tiny <em>one</em></h3><p>Text</p>"),
    ],
)
def test_headings_at_other_levels_are_demoted_not_dropped(pasted, stored):
    assert richtext.sanitize(pasted) == stored


def test_heading_demotion_leaves_text_that_looks_like_a_tag_alone():
    assert richtext.sanitize("<p>Write &lt;h4&gt; in the code</p>") == (
        "<p>Write &lt;h4&gt; in the code</p>"
    )


def test_saving_a_model_demotes_headings():
    page = make_page("Our Work", body="<h1>Big</h1><h4>Small</h4><script>x</script>")
    page.refresh_from_db()
    assert page.body == "<h2>Big</h2><h3>Small</h3>"


def test_rows_saved_before_the_change_print_demoted_headings(client):
    page = make_page("Our Work")
    Page.objects.filter(pk=page.pk).update(body="<h4>Saved when h4 was allowed</h4>")
    assert "<h3>Saved when h4 was allowed</h3>" in article(client.get("/our-work/"))


def test_empty_editor_content_is_stored_empty():
    assert richtext.sanitize("<p></p>") == ""


# ---- the editor ----


def test_admin_editor_has_spellcheck_on_and_loads_the_link_picker(staff_client):
    page = make_page("Our Work")
    response = staff_client.get(reverse("admin:pages_page_change", args=[page.pk]))
    fields = response.context["adminform"].form.fields
    for name in ("body_en", "body_es"):  # the English and the Spanish editor alike
        config = fields[name].widget.get_config()
        assert "NoSpellCheck" not in config["extensions"]
        assert config["js_modules"] == ["/static/js/richtext.js"]
        assert config["extensions"]["Link"]["searchUrl"] == reverse("link-targets")
        assert config["extensions"]["Heading"] == {"levels": [2, 3]}
    assert (Path(__file__).resolve().parents[2] / "static/js/richtext.js").exists()


# ---- stable links ----


def test_stable_link_format_matches_the_redirect_url():
    assert links.stable_href("page", 12) == "/link/page/12/"
    assert reverse("stable-link", kwargs={"kind": "page", "pk": "12"}) == "/link/page/12/"


def test_a_link_to_a_page_survives_its_slug_changing(client):
    target = make_page("Training", slug="training")
    make_page("Our Work", body=f'<p>See <a href="/link/page/{target.pk}/">our training</a>.</p>')

    assert hrefs(article(client.get("/our-work/")))["our training"] == "/training/"

    target.slug = "trainings-for-home-visitors"
    target.save()
    href = hrefs(article(client.get("/our-work/")))["our training"]
    assert href == "/trainings-for-home-visitors/"
    followed = client.get(href)
    assert followed.status_code == 200
    assert "<h1>Training</h1>" in followed.content.decode()

    stable = client.get(f"/link/page/{target.pk}/")
    assert stable.status_code == 302
    assert stable["Location"] == "/trainings-for-home-visitors/"


def test_a_link_to_a_page_follows_it_to_a_new_parent(client):
    section = make_page("The efforts", slug="the-efforts")
    target = make_page("Training", slug="training")
    make_page("Our Work", body=f'<p><a href="/link/page/{target.pk}/">Training</a></p>')
    target.parent = section
    target.save()
    assert hrefs(article(client.get("/our-work/")))["Training"] == "/the-efforts/training/"


def test_links_to_reports_and_events_print_their_current_address(client):
    report = make_report("Workforce mapping", slug="workforce-mapping")
    event = make_event("Reflective supervision")
    body = (
        f'<p><a href="/link/report/{report.pk}/">the report</a> and '
        f'<a href="/link/event/{event.pk}/" title="Say &quot;hi&quot;">'
        "the <strong>event</strong></a>"
        ' and <a href="https://example.org/">elsewhere</a></p>'
    )
    make_page("Our Work", body=body)
    Report.objects.filter(pk=report.pk).update(slug="mapping-2025")
    Event.objects.filter(pk=event.pk).update(slug="supervision-fall")

    html = article(client.get("/our-work/"))
    assert hrefs(html) == {
        "the report": "/reports/mapping-2025/",
        "the event": "/events/supervision-fall/",
        "elsewhere": "https://example.org/",
    }
    assert 'title="Say &quot;hi&quot;"' in html  # other attributes stay as they were


def test_every_rich_text_template_resolves_links(client):
    """The event, report and Celebrate Babies Week templates print rich text through the tag."""
    target = make_page("Training", slug="training")
    link = f'<p><a href="/link/page/{target.pk}/">Training</a></p>'
    event = make_event("Reflective supervision", description=link)
    report = make_report("Workforce mapping", key_findings=link)
    campaign = Campaign.objects.create(
        name="Celebrate Babies Week 2025",
        year=2025,
        start_date=datetime.date(2025, 10, 20),
        end_date=datetime.date(2025, 10, 24),
        publish_at=timezone.now() - datetime.timedelta(days=1),
        description=link,
        how_to_join=link.replace("Training", "Join a training"),
    )
    for url in [event.get_absolute_url(), report.get_absolute_url(), campaign.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert 'href="/training/"' in html, url
        assert "/link/page/" not in html, url


def test_no_template_prints_a_rich_text_field_with_safe():
    from django.apps import apps

    names = {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, RichTextField)
    }
    assert {"body", "key_findings", "description", "how_to_join"} <= names
    printed_raw = [
        f"{path.relative_to(TEMPLATES)}: {match}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.findall(r"\.(\w+)\s*\|\s*safe", path.read_text())
        if match in names
    ]
    assert printed_raw == []


def test_a_link_to_a_draft_is_words_for_visitors_and_a_link_for_staff(staff_client):
    draft = make_page("Coming soon", slug="coming-soon", publish_at=None)
    make_page("Our Work", body=f'<p>Read <a href="/link/page/{draft.pk}/">what is next</a>.</p>')

    visitor = Client()
    assert "<p>Read what is next.</p>" in article(visitor.get("/our-work/"))
    assert visitor.get(f"/link/page/{draft.pk}/").status_code == 404

    assert hrefs(article(staff_client.get("/our-work/")))["what is next"] == "/coming-soon/"
    assert staff_client.get(f"/link/page/{draft.pk}/")["Location"] == "/coming-soon/"


def test_a_page_under_a_draft_parent_is_not_linked_for_visitors(client):
    parent = make_page("Hidden section", slug="hidden", publish_at=None)
    child = make_page("Published child", slug="child", parent=parent)
    make_page("Our Work", body=f'<p><a href="/link/page/{child.pk}/">the child</a></p>')
    assert "<p>the child</p>" in article(client.get("/our-work/"))
    assert client.get(f"/link/page/{child.pk}/").status_code == 404


def test_a_deleted_target_leaves_words_and_its_stable_url_is_the_sites_404(client):
    report = make_report("Gone soon", slug="gone-soon")
    make_page("Our Work", body=f'<p>See <a href="/link/report/{report.pk}/">the report</a></p>')
    pk = report.pk
    report.delete()

    assert "<p>See the report</p>" in article(client.get("/our-work/"))
    response = client.get(f"/link/report/{pk}/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/link/nothing/1/",
        "/link/page/0/",
        "/link/page/999999999999999999/",
        "/link/page/9999999999999999999999999/",
        "/link/page/abc/",
        "/link/Page/1/",
    ],
)
def test_stable_urls_for_nothing_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_unknown_kinds_and_look_alikes_are_left_as_they_are():
    html = (
        '<p><a href="/link/nothing/1/">unknown</a> '
        '<a href="/link/page/1/extra/">longer</a> '
        'href="/link/page/1/" as words</p>'
    )
    assert richtext.render(html, AnonymousUser()) == (
        '<p>unknown <a href="/link/page/1/extra/">longer</a> href="/link/page/1/" as words</p>'
    )


def test_the_template_tag_renders_without_a_request():
    target = make_page("Training", slug="training")
    template = Template("{% load richtext %}{% richtext body %}")
    body = f'<p><a href="/link/page/{target.pk}/">Training</a></p>'
    assert template.render(Context({"body": body})) == '<p><a href="/training/">Training</a></p>'


# ---- queries ----


def linked_body(pages, reports, events) -> str:
    targets = [("page", pages), ("report", reports), ("event", events)]
    return "".join(
        f'<p><a href="/link/{kind}/{obj.pk}/">{kind} {n}</a></p>'
        for kind, objects in targets
        for n, obj in enumerate(objects)
    )


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_resolving_takes_one_query_per_kind_not_one_per_link():
    pages = [make_page(f"Page {n}") for n in range(10)]
    reports = [make_report(f"Report {n}") for n in range(10)]
    events = [make_event(f"Event {n}") for n in range(10)]
    visitor = AnonymousUser()

    one = linked_body(pages[:1], reports[:1], events[:1])
    ten = linked_body(pages, reports, events)
    # The first takes one more: the pages' read rule (Page.objects.public) lists the hidden
    # branches, then keeps that list until the next save.
    assert count_queries(lambda: richtext.render(one, visitor)) == 4
    assert count_queries(lambda: richtext.render(one, visitor)) == 3
    assert count_queries(lambda: richtext.render(ten, visitor)) == 3
    assert count_queries(lambda: richtext.render("<p>No links</p>", visitor)) == 0
    rendered = richtext.render(ten, visitor)
    assert "/link/" not in rendered
    assert rendered.count("<a ") == 30


def test_a_page_with_ten_links_takes_as_many_queries_as_with_one(client):
    pages = [make_page(f"Page {n}") for n in range(10)]
    reports = [make_report(f"Report {n}") for n in range(10)]
    events = [make_event(f"Event {n}") for n in range(10)]
    source = make_page("Our Work", body=linked_body(pages[:1], reports[:1], events[:1]))

    def visit():
        assert client.get("/our-work/").status_code == 200

    visit()  # the site settings are cached from now on
    with_one = count_queries(visit)
    source.body = linked_body(pages, reports, events)
    source.save()
    with_ten = count_queries(visit)
    assert with_one == with_ten
    assert "/link/" not in client.get("/our-work/").content.decode()


# ---- the picker's search ----


def test_link_targets_refuses_anonymous_visitors(client):
    make_page("Training")
    response = client.get(reverse("link-targets"), {"q": "Training"})
    assert response.status_code == 403
    assert "results" not in response.json()
    assert "Training" not in response.content.decode()


def test_link_targets_refuses_signed_in_visitors_who_are_not_staff(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("member", password="x" * 20))
    assert client.get(reverse("link-targets")).status_code == 403


def test_link_targets_refuses_staff_without_view_permission(client, django_user_model):
    user = django_user_model.objects.create_user("helper", password="x" * 20, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("link-targets")).status_code == 403


def test_link_targets_lists_only_kinds_the_staff_member_may_view(client, django_user_model):
    user = django_user_model.objects.create_user("pages-only", password="x" * 20, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(user)
    make_page("Training page")
    make_report("Training report")
    results = client.get(reverse("link-targets"), {"q": "training"}).json()["results"]
    assert [item["kind"] for item in results] == ["page"]


def test_link_targets_searches_titles_of_every_kind_drafts_included(staff_client):
    page = make_page("Training for home visitors", slug="training", publish_at=None)
    report = make_report("Training the workforce")
    event = make_event("Fall training day")
    make_page("Unrelated")

    response = staff_client.get(reverse("link-targets"), {"q": "TRAINING"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    results = response.json()["results"]
    assert {(item["kind"], item["id"]) for item in results} == {
        ("page", page.pk),
        ("report", report.pk),
        ("event", event.pk),
    }
    # Titles starting with the words typed come first.
    assert [item["title"] for item in results][:2] == [
        "Training for home visitors",
        "Training the workforce",
    ]
    by_kind = {item["kind"]: item for item in results}
    assert by_kind["page"] == {
        "kind": "page",
        "kindLabel": "Page",
        "id": page.pk,
        "title": "Training for home visitors",
        "href": f"/link/page/{page.pk}/",
        "url": "/training/",
        "state": "Draft",
        "published": False,
    }
    assert by_kind["event"]["url"] == event.get_absolute_url()


def test_link_targets_without_words_lists_recent_edits_and_at_most_twenty(staff_client):
    for n in range(25):
        make_page(f"Page {n}")
    results = staff_client.get(reverse("link-targets")).json()["results"]
    assert len(results) == LINK_TARGETS_LIMIT == 20
    assert results[0]["title"] == "Page 24"


def test_link_targets_names_the_target_of_a_stable_link(staff_client):
    page = make_page("Training")
    make_report("Training report")
    results = staff_client.get(reverse("link-targets"), {"q": f"/link/page/{page.pk}/"}).json()
    assert [(item["kind"], item["id"]) for item in results["results"]] == [("page", page.pk)]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "\x01\x1f\x7f controls"},
        {"q": "100%_off' OR 1=1 --"},
        {"q": "bébés 👶"},
        {"q": "/link/page/999999999999999999/"},
        {"q": "/link/nothing/1/"},
        {"q": ["one", "two"]},
        {"kind": "nonsense", "page": "-1"},
    ],
)
def test_link_targets_never_errors_on_bad_input(staff_client, params):
    make_page("Training")
    response = staff_client.get(reverse("link-targets"), params)
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_link_targets_answers_only_reads(staff_client):
    assert staff_client.post(reverse("link-targets"), {"q": "x"}).status_code == 405
