import pytest

from reports.demo import build_pdf


@pytest.fixture
def tagged_pdf():
    return build_pdf("An accessible report", ("A line of text.",), pages=3)


@pytest.fixture
def untagged_pdf():
    return build_pdf("An untagged report", tagged=False, language="", with_title=False)
