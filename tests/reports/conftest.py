import sqlite3

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

from reports.demo import build_pdf


@pytest.fixture
def tagged_pdf():
    return build_pdf("An accessible report", ("A line of text.",), pages=3)


@pytest.fixture
def untagged_pdf():
    return build_pdf("An untagged report", tagged=False, language="", with_title=False)


@pytest.fixture
def concurrent_db(transactional_db, tmp_path):
    """A database that several threads can write to at once, as in production.

    PostgreSQL's test database already is one. SQLite's in-memory test database uses a
    shared cache, whose table locks fail a second writer at once ("database table is
    locked") instead of waiting as a file database does; so on SQLite the test runs on a
    file copy of the test database and switches back afterwards.
    """
    from django.db import connection, connections

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    settings_dict = connections.settings[connection.alias]
    memory_name = settings_dict["NAME"]
    # Keeps the in-memory database alive while no Django connection points at it.
    keeper = sqlite3.connect(memory_name, uri=True)
    file_name = str(tmp_path / "concurrent.sqlite3")
    with sqlite3.connect(file_name) as target:
        keeper.backup(target)
    target.close()
    BaseDatabaseWrapper.close(connection)  # SQLite's close() keeps in-memory connections open
    settings_dict["NAME"] = connection.settings_dict["NAME"] = file_name
    try:
        yield
    finally:
        BaseDatabaseWrapper.close(connection)
        settings_dict["NAME"] = connection.settings_dict["NAME"] = memory_name
        connection.ensure_connection()  # before the keeper goes, or the database goes too
        keeper.close()
