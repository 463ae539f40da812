"""Staff groups: "Editors" edit the site's content; "Mailing list" manages subscribers.

Neither group can manage users or groups. The mailing list is personal data, so it has a
group of its own rather than going to every editor. Kept in step after every migrate.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS_GROUP = "Editors"
MAILING_LIST_GROUP = "Mailing list"
# Each group: the apps whose every permission it has, and single extra permissions.
GROUPS = {
    EDITORS_GROUP: (
        ["pages", "reports", "events", "redirects"],
        [
            "iecmh_site.view_role",
            *(
                f"iecmh_site.{action}_{model}"
                for model in ("sitesettings", "partnerlogo", "sociallink")
                for action in ("view", "change", "add", "delete")
            ),
        ],
    ),
    MAILING_LIST_GROUP: (["newsletter"], ["iecmh_site.view_role"]),
}


def groups_ensure(**kwargs) -> None:
    """Create the staff groups and give them their permissions (post_migrate receiver)."""
    for name, (app_labels, extra) in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q(content_type__app_label__in=app_labels)
        for permission in extra:
            app_label, codename = permission.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
