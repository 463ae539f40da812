"""A rolling release for real: the old code and the new (its templates changed) served at once
by gunicorn, on one database and one page cache (files, or Redis), as while a release rolls
out."""

import subprocess
import sys

import pytest

from tests import servers

pytestmark = pytest.mark.xdist_group("release")
# What the new code draws besides the old: on the page, and in each fragment kept apart from it.
NEW_MARKS = {
    "templates/base.html": ("</body>", "<!-- new page -->"),
    "templates/includes/_footer.html": ("</footer>", "<!-- new footer -->"),
    "templates/includes/_filters_form.html": ("</form>", "<!-- new filters -->"),
    "templates/events/includes/_event_card.html": ("</li>", "<!-- new card -->"),
}
EVERY_MARK = [mark for _, mark in NEW_MARKS.values()]
RENAME = (
    "from events.models import Event; event = Event.objects.get(); "
    "event.title = {title!r}; event.save()"
)


@pytest.fixture(params=["files", "redis"])
def releases(request, tmp_path):
    new_code = servers.copy_code(tmp_path / "new")
    for name, (end, mark) in NEW_MARKS.items():
        template = new_code / name
        text = template.read_text()
        assert end in text, name
        template.write_text(text.replace(end, mark + end))
    env = servers.sqlite_environment(tmp_path)
    if request.param == "redis":
        env["CACHE_URL"] = request.getfixturevalue("redis_server").url
    manage(servers.BASE_DIR, env, "migrate", "--noinput")
    manage(
        servers.BASE_DIR,
        env,
        "shell",
        "-c",
        "from tests.factories import make_event; make_event('First Training')",
    )
    old = servers.start_gunicorn(tmp_path, env, name="old")
    try:
        new = servers.start_gunicorn(tmp_path, env, name="new", code=new_code)
    except BaseException:
        old.stop()
        raise
    yield old.url, new.url, new_code, env
    new.stop()
    old.stop()


def manage(code, env, *command):
    subprocess.run(
        [sys.executable, "manage.py", *command], cwd=code, env=env, check=True, capture_output=True
    )


def marks(answer) -> list[str]:
    return [mark for mark in EVERY_MARK if mark in answer.text]


def test_old_and_new_workers_each_serve_their_own_pages_and_both_show_a_save(releases):
    old, new, new_code, env = releases
    visitor = servers.Visitor()

    assert visitor.get(old, "/events/").headers["X-Cache"] == "miss"
    kept_by_old = visitor.get(old, "/events/")
    assert (kept_by_old.headers["X-Cache"], marks(kept_by_old)) == ("hit", [])

    # The new release serves neither the page the old one kept nor the fragments it kept
    # (its card, its filters, its footer): it draws its own.
    first_new = visitor.get(new, "/events/")
    assert (first_new.headers["X-Cache"], marks(first_new)) == ("miss", EVERY_MARK)
    kept_by_new = visitor.get(new, "/events/")
    assert (kept_by_new.headers["X-Cache"], marks(kept_by_new)) == ("hit", EVERY_MARK)
    again_old = visitor.get(old, "/events/")
    assert (again_old.headers["X-Cache"], marks(again_old)) == ("hit", [])
    # Not pages either keeps, drawn from the fragments each kept.
    unkept_old = visitor.get(old, "/events/?utm_source=newsletter")
    unkept_new = visitor.get(new, "/events/?utm_source=newsletter")
    assert "First Training" in unkept_old.text and marks(unkept_old) == []
    assert "First Training" in unkept_new.text and marks(unkept_new) == EVERY_MARK

    # Staff save while both serve, through either: both show it at once, each as it draws.
    for code, title in ((servers.BASE_DIR, "Saved Through Old"), (new_code, "Saved Through New")):
        manage(code, env, "shell", "-c", RENAME.format(title=title))
        after_old = visitor.get(old, "/events/")
        after_new = visitor.get(new, "/events/")

        assert title in after_old.text and marks(after_old) == []
        assert title in after_new.text and marks(after_new) == EVERY_MARK
