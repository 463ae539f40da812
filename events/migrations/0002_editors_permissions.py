from django.db import migrations

from pages.permissions import sync_editors_group


class Migration(migrations.Migration):
    """Give the Editors group the permissions of the models just created."""

    dependencies = [
        ("events", "0001_initial"),
        ("pages", "0003_editors_group"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
