from iecmh_site.release import BASE_DIR, code_digest
from tests.servers import copy_code


def test_the_release_follows_the_code_and_nothing_else(tmp_path):
    copy = copy_code(tmp_path)
    running = code_digest()

    # Another server running the same code, bytecode written or not, is the same release.
    assert code_digest(copy) == running
    bytecode = copy / "pages" / "__pycache__" / "views.cpython-311.pyc"
    bytecode.parent.mkdir(exist_ok=True)
    bytecode.write_bytes(b"compiled")
    assert code_digest(copy) == running

    # A changed template, translation or pinned dependency is a new release.
    for changed in ("templates/base.html", "locale/es/LC_MESSAGES/django.po", "requirements.lock"):
        with (copy / changed).open("a") as file:
            file.write("\n")
        assert code_digest(copy) != running
        (copy / changed).write_bytes((BASE_DIR / changed).read_bytes())
        assert code_digest(copy) == running
