from django.db import migrations

from pages.permissions import sync_editors_group


class Migration(migrations.Migration):
    """Editors may edit reports: the group is refreshed now that the reports models exist."""

    dependencies = [
        ("reports", "0001_initial"),
        ("pages", "0003_editors_group"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
