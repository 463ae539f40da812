"""The staff groups, kept in step by post_migrate."""

from django.contrib.auth.models import Group


def test_editors_group_can_edit_content_but_not_users_or_the_mailing_list(db):
    group = Group.objects.get(name="Editors")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert ("pages", "change_page") in codenames
    assert ("reports", "change_report") in codenames
    assert ("events", "change_event") in codenames
    assert ("redirects", "add_redirect") in codenames
    assert not any(app in ("auth", "newsletter") for app, _ in codenames)


def test_mailing_list_group_manages_subscribers_only(db):
    group = Group.objects.get(name="Mailing list")
    perms = set(group.permissions.values_list("content_type__app_label", "codename"))

    assert {app for app, _ in perms} == {"newsletter", "iecmh_site"}
    assert {codename for app, codename in perms if app == "iecmh_site"} == {"view_role"}
