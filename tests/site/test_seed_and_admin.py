from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command


def counts():
    return {
        model._meta.label: model.objects.count()
        for app_label in ("pages", "reports", "events", "newsletter")
        for model in apps.get_app_config(app_label).get_models()
    }


def test_seed_demo_twice_creates_no_duplicates(db, settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    second = counts()

    assert second == first
    assert sum(first.values()) > 5
    assert "Demo staff login (DEBUG only): demo /" in capsys.readouterr().out


def test_seed_demo_makes_no_login_when_debug_is_off(db, settings, django_user_model):
    settings.DEBUG = False

    call_command("seed_demo")

    assert not django_user_model.objects.filter(username="demo").exists()


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
    apps_ = set(group.permissions.values_list("content_type__app_label", flat=True))

    assert apps_ == {"newsletter"}


def test_admin_is_branded(admin_client):
    response = admin_client.get("/admin/")

    assert "IECMH Workforce Partnership: site administration" in response.content.decode()
