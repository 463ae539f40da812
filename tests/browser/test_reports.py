import datetime
import io
import re

import pytest
from playwright.sync_api import expect

from iecmh_site.demo.pdf import build_pdf
from reports.models import Organization, ReportOrganization
from tests.conftest import run_queued_jobs
from tests.factories import make_report, make_topic


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "permissions": ["clipboard-read", "clipboard-write"]}


@pytest.mark.django_db(transaction=True)
def test_find_cite_and_download_a_report(live_server, page):
    policy = make_topic("Policy and advocacy", slug="policy")
    training = make_topic("Training", slug="training")
    report = make_report(
        "A Mapping of Workforce Assets and Needs",
        slug="mapping",
        topics=[policy],
        pdf=build_pdf("A Mapping of Workforce Assets and Needs", pages=2),
        publication_date=datetime.date(2025, 6, 1),
    )
    ReportOrganization.objects.create(
        report=report, organization=Organization.objects.create(name="Boston University")
    )
    make_report("A training guide", topics=[training])

    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_role("heading", name="2 reports")).to_be_visible()
    page.get_by_label("Topic", exact=True).select_option(label="Policy and advocacy")
    page.get_by_role("button", name="Show reports").click()
    expect(page.get_by_role("heading", name="1 report found")).to_be_visible()
    expect(page.get_by_role("link", name="A training guide")).to_have_count(0)

    page.get_by_role("link", name="A Mapping of Workforce Assets and Needs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.title)

    page.get_by_role("button", name="Copy the citation").click()
    expect(page.get_by_role("status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Boston University. (2025). A Mapping of Workforce Assets and Needs.")
    assert copied.endswith("/reports/mapping/")

    download_link = page.get_by_role("link", name="Download the report")
    expect(download_link).to_contain_text("PDF, ")
    expect(download_link).to_contain_text("2 pages")
    # The PDF opens in the browser (inline), under its own file name if saved.
    with page.expect_response(re.compile(r"/download/$")) as opened:
        download_link.click()
    assert opened.value.headers["content-disposition"] == 'inline; filename="mapping.pdf"'
    report.refresh_from_db()
    assert report.download_count == 1
    # (The page now holds the browser's PDF viewer; the file itself, fetched again:)
    assert page.request.get(opened.value.url).body().startswith(b"%PDF-")


@pytest.mark.django_db(transaction=True)
def test_report_pages_have_no_axe_violations(live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    from iecmh_site.demo import reports as demo

    demo.seed(stdout=io.StringIO())
    run_queued_jobs()  # the pictures and PDFs, as the worker would
    axe = Axe()
    for path in ["/reports/", f"/reports/{demo.FLAGSHIP_SLUG}/", "/reports/?topic=policy"]:
        page.goto(f"{live_server.url}{path}")
        violations = axe.run(page).response["violations"]
        assert [violation["id"] for violation in violations] == [], path
