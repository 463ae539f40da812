import datetime

import pytest

from events.models import LOCAL_TZ


@pytest.fixture
def local():
    """Build an aware Massachusetts datetime: local(2025, 10, 22, 10)."""

    def build(*args):
        return datetime.datetime(*args, tzinfo=LOCAL_TZ)

    return build


@pytest.fixture
def roles(db):
    from pages.models import Role

    return {role.slug: role for role in Role.objects.all()}
