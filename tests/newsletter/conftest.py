import pytest


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.SITE_URL = "https://iecmh.example"
    settings.NEWSLETTER_MIN_FILL_SECONDS = 2
    settings.NEWSLETTER_RATE_LIMIT = 5
    settings.NEWSLETTER_MAILS_PER_MAILBOX = 3
