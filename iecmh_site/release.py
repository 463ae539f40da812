"""Which release a process runs: a digest of the code, the same on every server that runs it.

The page cache keeps what each release makes under its own name (iecmh_site.cache.make_key),
so that while a rolling release runs old and new workers side by side, neither serves what the
other drew with its templates, translations and static files' names.
"""

import hashlib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# What a release's pages are made of: the code, templates, static files, translations and the
# pinned dependencies (a new Django or widget library may draw differently).
SOURCES = (
    "iecmh_site",
    "pages",
    "events",
    "reports",
    "newsletter",
    "templates",
    "static",
    "locale",
    "requirements.lock",
)


def code_digest(base: Path = BASE_DIR) -> str:
    """A short digest of the names and contents of the files in SOURCES under ``base``
    (about 10 ms, once per process)."""
    digest = hashlib.sha256()
    for source in SOURCES:
        top = base / source
        files = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in files:
            # Bytecode is written as modules are first imported, and follows the sources.
            if path.is_dir() or path.suffix == ".pyc" or "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(base).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
