"""Demo subscribers at example.org, so the admin list is not empty on first start."""

from django.utils import timezone

from iecmh_site.vocabulary import Role
from newsletter.forms import CONSENT_TEXT
from newsletter.models import Subscriber

DEMO = [
    ("demo.confirmed@example.org", "Demo Subscriber", Subscriber.Status.CONFIRMED),
    ("demo.pending@example.org", "", Subscriber.Status.PENDING),
]


def seed(*, stdout) -> None:
    now = timezone.now()
    for email, name, status in DEMO:
        if Subscriber.objects.with_email(email).exists():
            continue
        subscriber = Subscriber.objects.create(
            email=email,
            name=name,
            status=status,
            wants_trainings=True,
            wants_reports=True,
            consent_text=CONSENT_TEXT,
            consent_at=now,
            confirmed_at=now if status == Subscriber.Status.CONFIRMED else None,
            source=Subscriber.Source.SIGNUP_PAGE,
            source_detail="Demo data",
        )
        subscriber.roles.set(Role.objects.filter(slug="home-visitors"))
        stdout.write(f"Newsletter: added demo subscriber {email}\n")
