from django.db import migrations

from pages.roles import ROLES


def create_roles(apps, schema_editor):
    Role = apps.get_model("pages", "Role")
    for order, (name, slug, description) in enumerate(ROLES, start=1):
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
