from django.db import migrations

from pages.permissions import sync_editors_group


class Migration(migrations.Migration):
    # Runs after every content app's models exist, so the group gets all their permissions.
    dependencies = [
        ("pages", "0004_page"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
