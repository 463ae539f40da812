"""Search in English and Spanish.

PostgreSQL: each entry's vector is made with its language's text search configuration, now
one that folds accents ("educacion" finds "educación"): iecmh_spanish (Spanish stemming,
"formaciones" finds "formación"), iecmh_english, and iecmh_simple for any other language,
each the built-in one with the unaccent dictionary before its stemmer. The generated column
is dropped and made again so that every stored vector is computed with them.

SQLite: nothing to change; migration 0003's FTS5 table already folds accents
(unicode61 remove_diacritics 2) under porter stemming, for every language.

Both: post_migrate then writes the whole index again (iecmh_site.search.rebuild_after_migrate),
adding the Spanish entries of translated items.
"""

from django.db import migrations

TABLE = "iecmh_site_searchentry"
# Ours, and the built-in configuration and dictionary each copies.
CONFIGURATIONS = {
    "iecmh_english": ("english", "english_stem"),
    "iecmh_spanish": ("spanish", "spanish_stem"),
    "iecmh_simple": ("simple", "simple"),
}
# Token types that may hold accented letters (the ASCII ones cannot).
ACCENTED_TOKENS = "word, hword, hword_part"

CONFIG_FUNCTION = """CREATE OR REPLACE FUNCTION iecmh_search_config(language varchar)
    RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE language WHEN 'en' THEN {english}::regconfig
                               WHEN 'es' THEN {spanish}::regconfig
                               ELSE {other}::regconfig END $$"""
DROP_VECTOR = [
    "DROP INDEX IF EXISTS iecmh_site_searchentry_vector",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
]
ADD_VECTOR = [
    f"""ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector(iecmh_search_config(language), title), 'A')
            || setweight(
                to_tsvector(iecmh_search_config(language), summary || ' ' || keywords), 'B'
            )
            || setweight(to_tsvector(iecmh_search_config(language), body), 'C')
        ) STORED""",
    f"CREATE INDEX iecmh_site_searchentry_vector ON {TABLE} USING gin (search_vector)",
]


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        # A trusted extension: the database's owner may create it, no superuser needed.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        # Named as the extension's schema requires (qualified when not on the search path).
        cursor.execute(
            "SELECT oid::regdictionary::text FROM pg_ts_dict WHERE dictname = 'unaccent'"
        )
        unaccent = cursor.fetchone()[0]
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    qualified = {name: f"{quote(schema)}.{quote(name)}" for name in CONFIGURATIONS}
    for name, (builtin, stemmer) in CONFIGURATIONS.items():
        schema_editor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION {qualified[name]} (COPY = pg_catalog.{builtin})"
        )
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {qualified[name]} "
            f"ALTER MAPPING FOR {ACCENTED_TOKENS} WITH {unaccent}, pg_catalog.{stemmer}"
        )
    # Schema-qualified: the generated column must not depend on a session's search_path.
    function = CONFIG_FUNCTION.format(
        english=_literal(qualified["iecmh_english"]),
        spanish=_literal(qualified["iecmh_spanish"]),
        other=_literal(qualified["iecmh_simple"]),
    )
    for statement in [*DROP_VECTOR, function, *ADD_VECTOR]:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    """Migration 0003's function and vectors; the unaccent extension stays (others may use
    it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    function = CONFIG_FUNCTION.format(
        english="'pg_catalog.english'", spanish="'pg_catalog.simple'", other="'pg_catalog.simple'"
    )
    for statement in [*DROP_VECTOR, function, *ADD_VECTOR]:
        schema_editor.execute(statement)
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("iecmh_site", "0004_translations"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
