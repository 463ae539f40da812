import pytest


@pytest.fixture
def roles(db):
    from iecmh_site.vocabulary import Role

    return {role.slug: role for role in Role.objects.all()}
