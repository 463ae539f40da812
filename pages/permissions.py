"""The "Editors" group: staff who edit the site's content but not its users."""

EDITORS_GROUP = "Editors"
CONTENT_APPS = ["pages", "reports", "events", "newsletter", "redirects"]


def sync_editors_group(apps, schema_editor=None):
    """Give the Editors group every permission of the content apps (for data migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now so the group can
    # be given them in the same run on a fresh database.
    for label in CONTENT_APPS:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=CONTENT_APPS))
