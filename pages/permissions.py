"""Staff groups: "Editors" edit the site's content; "Mailing list" manages subscribers.

Neither group can manage users or groups. The mailing list is personal data, so it has a
group of its own rather than going to every editor.
"""

EDITORS_GROUP = "Editors"
MAILING_LIST_GROUP = "Mailing list"
GROUP_APPS = {
    EDITORS_GROUP: ["pages", "reports", "events", "redirects"],
    MAILING_LIST_GROUP: ["newsletter"],
}


def sync_editors_group(apps, schema_editor=None):
    """Give each staff group every permission of its apps (for data migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now so the groups can
    # be given them in the same run on a fresh database.
    for labels in GROUP_APPS.values():
        for label in labels:
            try:
                app_config = apps.get_app_config(label)
            except LookupError:
                continue
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, labels in GROUP_APPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=labels))
