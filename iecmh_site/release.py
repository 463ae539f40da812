"""Which release a process runs: a digest of the code, the same on every server that runs it.

The page cache keeps what each release makes under its own name (settings.PAGE_CACHE_RELEASE,
iecmh_site.cache.make_key), so that while a rolling release runs old and new workers side by
side, neither serves what the other drew with its templates, translations and static files.
"""

import hashlib
from collections.abc import Iterable
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


def code_digest(base: Path = BASE_DIR, *, also: Iterable[str] = ()) -> str:
    """A short digest of the names and contents of the files in SOURCES under ``base``, and of
    the values in ``also`` (about 8 ms, once per process). Every source must be there."""
    digest = hashlib.sha256()
    for source in SOURCES:
        top = base / source
        if not top.exists():
            raise FileNotFoundError(f"{top} is part of a release but missing")
        files = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in files:
            parts = path.relative_to(base).parts
            # Bytecode is written as modules are first imported, and follows the sources;
            # hidden files (an editor's, a desktop's) are not part of the release.
            if path.is_dir() or "__pycache__" in parts or path.suffix == ".pyc":
                continue
            if any(part.startswith(".") for part in parts) or path.name.endswith("~"):
                continue
            digest.update("/".join(parts).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for value in also:
        digest.update(value.encode() + b"\0")
    return digest.hexdigest()[:16]
