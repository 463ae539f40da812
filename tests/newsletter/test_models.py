import pytest
from django.db import IntegrityError

from newsletter.models import Subscriber
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db


def test_email_is_unique_whatever_its_case():
    make_subscriber("Same@Example.org")
    with pytest.raises(IntegrityError):
        make_subscriber("same@example.ORG")


def test_lookup_by_email_ignores_case():
    subscriber = make_subscriber("Someone@Example.org")
    assert Subscriber.objects.with_email(" someone@example.org ").get() == subscriber


def test_status_counts_every_status_in_one_query(django_assert_num_queries):
    make_subscriber("a@example.org")
    make_subscriber("b@example.org", status="confirmed")
    make_subscriber("c@example.org", status="confirmed")
    with django_assert_num_queries(1):
        counts = Subscriber.objects.status_counts()
    assert counts == {"pending": 1, "confirmed": 2, "unsubscribed": 0}


def test_no_ip_address_or_tracking_field():
    names = {field.name for field in Subscriber._meta.get_fields()}
    assert not {name for name in names if "ip" in name.split("_") or "open" in name}
