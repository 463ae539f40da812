import tomllib

import pytest

from iecmh_site.release import BASE_DIR, SOURCES, code_digest
from tests.servers import copy_code


def test_the_release_follows_the_code_and_nothing_else(tmp_path):
    copy = copy_code(tmp_path)
    running = code_digest()

    # Another server running the same code is the same release, with its bytecode written
    # or not, and whatever an editor or a desktop leaves beside the files.
    assert code_digest(copy) == running
    for stray in (
        "pages/__pycache__/views.cpython-311.pyc",
        "templates/.DS_Store",
        "pages/views.py~",
    ):
        (copy / stray).parent.mkdir(exist_ok=True)
        (copy / stray).write_bytes(b"not code")
    assert code_digest(copy) == running

    # A changed template, translation or pinned dependency is a new release.
    for changed in ("templates/base.html", "locale/es/LC_MESSAGES/django.po", "requirements.lock"):
        with (copy / changed).open("a") as file:
            file.write("\n")
        assert code_digest(copy) != running
        (copy / changed).write_bytes((BASE_DIR / changed).read_bytes())
        assert code_digest(copy) == running

    # So are settings that show in pages (the site's address, where pictures are served).
    assert code_digest(copy, also=["https://www.example.org"]) != running
    assert code_digest(copy, also=["https://new.example.org"]) != code_digest(
        copy, also=["https://www.example.org"]
    )

    (copy / "requirements.lock").unlink()
    with pytest.raises(FileNotFoundError, match="requirements.lock"):
        code_digest(copy)


def test_every_package_of_the_site_is_part_of_a_release():
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]

    assert {package.rstrip("*") for package in packages} <= set(SOURCES)
