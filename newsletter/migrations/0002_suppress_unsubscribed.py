"""Put everyone who had already left on the suppression list, so no import brings them back."""

import hashlib

from django.db import migrations
from django.utils import timezone


def suppress_unsubscribed(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    Suppression = apps.get_model("newsletter", "Suppression")
    known = set(Suppression.objects.values_list("digest", flat=True))
    new = []
    left = Subscriber.objects.filter(status="unsubscribed").values_list("email", "unsubscribed_at")
    for email, left_at in left.iterator():
        # The same fingerprint as newsletter.models.address_digest.
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        if digest not in known:
            known.add(digest)
            new.append(
                Suppression(
                    digest=digest, reason="unsubscribed", suppressed_at=left_at or timezone.now()
                )
            )
    Suppression.objects.bulk_create(new, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0001_initial")]

    operations = [migrations.RunPython(suppress_unsubscribed, migrations.RunPython.noop)]
