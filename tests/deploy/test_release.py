"""A rolling release for real: the old code and the new (one template changed) served at once
by gunicorn, on one database and one page cache, as while a release rolls out."""

import subprocess
import sys

import pytest

from tests import servers

pytestmark = pytest.mark.xdist_group("release")
NEW_MARK = "<!-- drawn by the new release -->"
SAVE = "from tests.factories import make_event; make_event('Released Training')"


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("release")
    new_code = servers.copy_code(workdir / "new")
    base_html = new_code / "templates" / "base.html"
    base_html.write_text(base_html.read_text().replace("</body>", f"{NEW_MARK}</body>"))
    env = servers.sqlite_environment(workdir)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=servers.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    old = servers.start_gunicorn(workdir, env, name="old")
    try:
        new = servers.start_gunicorn(workdir, env, name="new", code=new_code)
    except BaseException:
        old.stop()
        raise
    yield old.url, new.url, env
    new.stop()
    old.stop()


def test_old_and_new_workers_each_serve_their_own_pages_and_both_show_a_save(releases):
    old, new, env = releases
    visitor = servers.Visitor()

    assert visitor.get(old, "/events/").headers["X-Cache"] == "miss"
    kept_by_old = visitor.get(old, "/events/")
    assert kept_by_old.headers["X-Cache"] == "hit" and NEW_MARK not in kept_by_old.text

    # The new release does not serve the page the old one kept: it draws its own.
    first_new = visitor.get(new, "/events/")
    assert first_new.headers["X-Cache"] == "miss" and NEW_MARK in first_new.text
    kept_by_new = visitor.get(new, "/events/")
    assert kept_by_new.headers["X-Cache"] == "hit" and NEW_MARK in kept_by_new.text
    again_old = visitor.get(old, "/events/")
    assert again_old.headers["X-Cache"] == "hit" and NEW_MARK not in again_old.text

    # Staff save while both serve: both show it at once, each in its own templates.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SAVE],
        cwd=servers.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    after_old = visitor.get(old, "/events/")
    after_new = visitor.get(new, "/events/")

    assert "Released Training" in after_old.text and NEW_MARK not in after_old.text
    assert "Released Training" in after_new.text and NEW_MARK in after_new.text
