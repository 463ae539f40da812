import io

import pytest

from newsletter import demo
from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_keeps_staff_edits():
    demo.seed(stdout=io.StringIO())
    Subscriber.objects.filter(email="demo.pending@example.org").update(name="Edited")
    out = io.StringIO()
    demo.seed(stdout=out)

    assert Subscriber.objects.count() == 2
    assert Subscriber.objects.get(email="demo.pending@example.org").name == "Edited"
    assert out.getvalue() == ""
    assert Subscriber.objects.get(email="demo.confirmed@example.org").status == "confirmed"
