import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

IMPORT = reverse("admin:newsletter_subscriber_import")


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.SITE_URL = "https://iecmh.example"
    settings.NEWSLETTER_MIN_FILL_SECONDS = 2
    settings.NEWSLETTER_RATE_LIMIT = 5
    settings.NEWSLETTER_MAILS_PER_MAILBOX = 3


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", None)
    client.force_login(user)
    return client


def upload(content: str | bytes, name="list.csv"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def shown_rows(page) -> dict[str, tuple[str, str]]:
    """{email as shown: (outcome as shown, why)} of the rows on an import page."""
    return {row["email"]: (row["label"], row["why"]) for row in page.context["page"]}


@pytest.fixture
def preview(admin_client, run_jobs):
    """Upload a file through the import form, let the worker read it; the preview page."""

    def upload_and_read(content, *, name="list.csv", label="Old tool"):
        response = admin_client.post(
            IMPORT,
            {"csv_file": upload(content, name), "source_label": label, "consent_checked": "on"},
        )
        assert response.status_code == 302, response.content.decode()
        run_jobs()
        page = admin_client.get(response["Location"])
        assert page.status_code == 200
        return page

    return upload_and_read


@pytest.fixture
def import_now(admin_client, run_jobs):
    """Click "Import N people" on a preview page, let the worker import; the result page."""

    def click(page):
        url = page.wsgi_request.path
        response = admin_client.post(url, {"action": "import"})
        assert response.status_code == 302
        run_jobs()
        return admin_client.get(url)

    return click
