from django.db import migrations

from pages.permissions import sync_editors_group


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
