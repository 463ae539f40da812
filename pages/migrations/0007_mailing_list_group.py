from django.db import migrations

from pages.permissions import sync_editors_group


class Migration(migrations.Migration):
    # After every app's models exist: Editors lose the mailing list, which gets its own group.
    dependencies = [
        ("pages", "0006_page_home_and_unique_top_level"),
        ("reports", "0003_us_spelling"),
        ("events", "0002_editors_permissions"),
        ("newsletter", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
