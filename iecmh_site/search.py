"""Site search: one full-text index of pages, reports and events, kept current as they are saved.

Each app says what its documents are (its ``search.py`` calls ``register``); this module keeps
one ``SearchEntry`` row per item and language (English always, Spanish once the item is
translated), written in the same transaction as the save that changed it, and answers queries
from it: FTS5 (porter stemming, accents folded) on SQLite, text search (``to_tsvector`` with
the configuration of each entry's language, accents folded) on PostgreSQL, ranked title >
summary and keywords > body. A Spanish visitor is given Spanish entries first, then the
English entries of items that have no Spanish match.

Visibility is not copied into the index: a query keeps the entries of items the visitor may
see by the apps' own read rules (``published()``, pages' ``public()``), so a scheduled item
appears on time and a draft section hides its branch without any re-indexing.
"""

import datetime
import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import translation

from iecmh_site.publishing import can_preview
from iecmh_site.translating import is_translated

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 50
DEFAULT_LANGUAGE = "en"
FTS_TABLE = "iecmh_site_searchentry_fts"

# Relevance weights of the indexed columns: title, summary, keywords, body.
FTS5_WEIGHTS = (10.0, 4.0, 4.0, 1.0)  # bm25(), SQLite
POSTGRES_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"  # ts_rank() weights of D, C (body), B, A (title)

# PostgreSQL's English stop words (tsearch_data/english.stop), dropped from queries on both
# databases so that they find the same things: "reports about home visitors" asks for
# "reports", "home" and "visitors".
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# PostgreSQL's Spanish stop words (tsearch_data/spanish.stop) that have no accent: its
# configuration removes accents before it looks words up, so "qué" is "que", a stop word, and
# "más" is "mas", a word. A Spanish visitor's query drops these and the English ones, as its
# words are looked for in English entries too.
_SPANISH_STOP_WORDS = """
    de la que el en y a los del se las por un para con no una su al lo como pero sus le ya o
    este porque esta entre cuando muy sin sobre me hasta hay donde quien desde todo nos durante
    todos uno les ni contra otros ese eso ante ellos e esto antes algunos unos yo otro otras
    otra tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo
    nosotros mi mis te ti tu tus ellas nosotras vosostros vosostras os tuyo tuya tuyos tuyas
    suyo suya suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras
    esos esas estoy estamos estemos estaremos estaba estabas estabais estaban estuve estuviste
    estuvo estuvimos estuvisteis estuvieron estuviera estuvieras estuvierais estuvieran
    estuviese estuvieses estuvieseis estuviesen estando estado estada estados estadas estad he
    has ha hemos han haya hayas hayamos hayan habremos hube hubiste hubo hubimos hubisteis
    hubieron hubiera hubieras hubierais hubieran hubiese hubieses hubieseis hubiesen habiendo
    habido habida habidos habidas soy eres es somos sois son sea seas seamos sean seremos era
    eras erais eran fui fuiste fue fuimos fuisteis fueron fuera fueras fuerais fueran fuese
    fueses fueseis fuesen sintiendo sentido sentida sentidos sentidas siente sentid tengo tienes
    tiene tenemos tienen tenga tengas tengamos tengan tendremos tuve tuviste tuvo tuvimos
    tuvisteis tuvieron tuviera tuvieras tuvierais tuvieran tuviese tuvieses tuvieseis tuviesen
    teniendo tenido tenida tenidos tenidas tened"""
STOP_WORDS_BY_LANGUAGE = {
    "en": STOP_WORDS,
    "es": STOP_WORDS | frozenset(_SPANISH_STOP_WORDS.split()),
}
_WORD = re.compile(r"[^\W_]+")
_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|li|ul|ol|blockquote|br|hr|div|table|tr|td|th)\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")


# ---- queries: what visitors type, made safe ----


def clean_query(raw: str | None) -> str:
    """Normalize a visitor's query: trimmed, single-spaced, bounded, printable."""
    text = "".join(ch for ch in (raw or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_terms(raw: str | None, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The words of a query, lowercased, without the stop words of ``language`` or repeats:
    letters and digits only, so no quote, operator or NUL ever reaches MATCH or to_tsquery."""
    text = unicodedata.normalize("NFKC", clean_query(raw)).casefold()
    stop_words = STOP_WORDS_BY_LANGUAGE.get(language, STOP_WORDS)
    terms = []
    for word in _WORD.findall(text):
        word = word[:MAX_TERM_LENGTH]
        if _unaccented(word) not in stop_words and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_language(language: str | None) -> str:
    """The site language whose entries a visitor is given first: ``language`` ("es",
    "es-mx") when the site is written in it, English otherwise."""
    code = (language or "").split("-")[0].lower()
    return code if code in site_languages() else DEFAULT_LANGUAGE


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def text_search(queryset: QuerySet, query: str, fields: list[str]) -> QuerySet:
    """Filter ``queryset`` to rows matching ``query`` in ``fields`` (without the index).

    PostgreSQL: full-text search (English stemming, ranked). Elsewhere: every word must
    appear (case-insensitively) in at least one of the fields.
    """
    query = clean_query(query)
    if not query:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="english")
        search_query = SearchQuery(query, config="english", search_type="websearch")
        return (
            queryset.annotate(search_document=vector)
            .filter(search_document=search_query)
            .annotate(search_rank=SearchRank(vector, search_query))
            .order_by("-search_rank")
        )
    condition = Q()
    for word in query.split()[:10]:
        word_condition = Q()
        for name in fields:
            word_condition |= Q(**{f"{name}__icontains": word})
        condition &= word_condition
    return queryset.filter(condition)


def html_text(value: str) -> str:
    """The words of sanitized rich text, one space between blocks."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", value or ""))
    return " ".join(html.unescape(text).split())


# ---- what the apps register ----


@dataclass(frozen=True)
class Document:
    """One item as the index holds it, in one language."""

    title: str
    url: str
    summary: str = ""
    keywords: str = ""  # what it is and who it is for: kind, topics, roles, organizations
    body: str = ""
    label: str = ""  # shown on the result: "Report", "Training", "Page"
    date: datetime.date | None = None
    when_text: str = ""  # shown instead of the date: "Wednesday, October 22, 2025, 10 a.m. ..."
    is_sample: bool = False
    language: str = DEFAULT_LANGUAGE


def in_languages(obj: models.Model, document: Callable[[], Document]) -> list[Document]:
    """``obj``'s document in each language it is written in: English always, another once
    ``obj`` is translated into it. ``document()`` is called with that language active, so
    translated fields, labels, dates and addresses (/es/...) are in it."""
    documents = []
    for language in site_languages():
        if is_translated(obj, language):
            with translation.override(language):
                documents.append(replace(document(), language=language))
    return documents


@dataclass(frozen=True)
class Kind:
    """A group of results: ``name`` in ?kind=, ``heading`` over the group, ``one``/``many``
    for counts ("1 report", "3 reports")."""

    name: str
    heading: str
    one: str
    many: str


@dataclass(frozen=True)
class Source:
    """A model whose rows are documents.

    ``documents(obj)`` gives its documents (none: left out of the index); ``queryset()`` the
    rows to index, with whatever ``documents`` reads prefetched; ``public()`` what visitors
    may see (staff who may preview the model see every row). ``related`` maps another model
    to a function giving, for one of its rows, the ids of this model's rows whose documents
    show it (a topic's reports), so they are indexed again when it changes.
    """

    kind: Kind
    model: type[models.Model]
    documents: Callable[[models.Model], Iterable[Document]]
    queryset: Callable[[], QuerySet]
    public: Callable[[], QuerySet]
    related: dict[type[models.Model], Callable[[models.Model], Iterable[int]]] = field(
        default_factory=dict
    )

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_sources: dict[str, Source] = {}


def kinds() -> dict[str, Kind]:
    """The groups of results, in the order the apps registered them."""
    return {source.kind.name: source.kind for source in _sources.values()}


def register(source: Source) -> None:
    """Index ``source``'s rows from now on (an app's ready() calls this once)."""
    _sources[source.label] = source
    model, uid = source.model, f"search-{source.label}"

    def saved(sender, instance, raw=False, **kwargs):
        if not raw:  # loaddata: run rebuild_search_index afterwards
            reindex(model, [instance.pk])

    def deleted(sender, instance, **kwargs):
        unindex(model, [instance.pk])

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    for m2m in model._meta.local_many_to_many:
        through = m2m.remote_field.through
        if through._meta.auto_created:  # explicit through models go in ``related``
            m2m_changed.connect(
                _m2m_receiver(model, m2m.name),
                sender=through,
                weak=False,
                dispatch_uid=f"{uid}-m2m-{m2m.name}",
            )
    for other, ids_for in source.related.items():
        _watch(model, other, ids_for, uid=f"{uid}-{other._meta.label_lower}")


def _m2m_receiver(model, name):
    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # report.topics.add(...): this report
            if action in ("post_add", "post_remove", "post_clear"):
                reindex(model, [instance.pk])
        elif action in ("post_add", "post_remove"):  # topic.reports.add(...): those reports
            reindex(model, pk_set or ())
        elif action == "pre_clear":  # topic.reports.clear(): read them while linked
            cleared = getattr(instance, "_search_cleared", {})
            cleared[(model, name)] = _ids(model._default_manager.filter(**{name: instance}))
            instance._search_cleared = cleared
        elif action == "post_clear":
            reindex(model, getattr(instance, "_search_cleared", {}).pop((model, name), ()))

    return changed


def _watch(model, other, ids_for, *, uid):
    """Index ``model``'s rows again when a row of ``other`` they show changes. Ids are
    read before a delete, while the links that name them still exist."""

    def saved(sender, instance, raw=False, **kwargs):
        if not raw:
            reindex(model, ids_for(instance))

    def deleting(sender, instance, **kwargs):
        pending = getattr(instance, "_search_deleting", {})
        pending[model] = _ids(ids_for(instance))
        instance._search_deleting = pending

    def deleted(sender, instance, **kwargs):
        reindex(model, getattr(instance, "_search_deleting", {}).pop(model, ()))

    post_save.connect(saved, sender=other, weak=False, dispatch_uid=f"{uid}-save")
    pre_delete.connect(deleting, sender=other, weak=False, dispatch_uid=f"{uid}-pre-delete")
    post_delete.connect(deleted, sender=other, weak=False, dispatch_uid=f"{uid}-delete")


def _ids(values) -> list[int]:
    if isinstance(values, QuerySet):
        values = values.values_list("pk", flat=True)
    return list(values)


# ---- the index ----


class SearchEntry(models.Model):
    """One item in one language, as search reads it.

    On SQLite its text is also in the FTS5 table ``iecmh_site_searchentry_fts`` (rowid = id),
    written beside it here; on PostgreSQL a generated ``search_vector`` column (GIN-indexed)
    is computed from it with the text search configuration of its language. Both are made by
    migration 0003 (0005 gives each language its accent-folding configuration); the model
    does not know them.
    """

    kind = models.CharField(max_length=20)
    object_type = models.CharField(max_length=100)  # the model's label: "reports.report"
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=10, default=DEFAULT_LANGUAGE)
    title = models.TextField()
    summary = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.TextField()
    label = models.CharField(max_length=100, blank=True)
    date = models.DateField(null=True, blank=True)
    when_text = models.CharField(max_length=300, blank=True)
    is_sample = models.BooleanField(default=False)

    class Meta:
        app_label = "iecmh_site"
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "language"], name="search_entry_once"
            )
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id} ({self.language}): {self.title}"


TEXT_FIELDS = ["title", "summary", "keywords", "body"]
DOCUMENT_FIELDS = [
    *TEXT_FIELDS,
    "url",
    "label",
    "date",
    "when_text",
    "is_sample",
]


def _entry(source: Source, pk: int, document: Document) -> SearchEntry:
    return SearchEntry(
        kind=source.kind.name,
        object_type=source.label,
        object_id=pk,
        language=document.language,
        **{name: getattr(document, name) for name in DOCUMENT_FIELDS},
    )


def _source_for(model) -> Source | None:
    return _sources.get(model._meta.label_lower)


def reindex(model, pks: Iterable[int]) -> None:
    """Write the index entries of these rows of ``model`` afresh (a row that is gone, or
    has no documents, leaves the index). Part of the caller's transaction."""
    source = _source_for(model)
    pks = {pk for pk in pks if pk is not None}
    if source is None or not pks:
        return
    using = router_db()
    with transaction.atomic(using=using):
        objects = source.queryset().filter(pk__in=pks)
        wanted = [_entry(source, obj.pk, doc) for obj in objects for doc in source.documents(obj)]
        existing = {
            (entry.object_id, entry.language): entry
            for entry in SearchEntry.objects.filter(object_type=source.label, object_id__in=pks)
        }
        changed = []
        for entry in wanted:
            old = existing.pop((entry.object_id, entry.language), None)
            if old is not None:
                entry.pk = old.pk
                if all(getattr(old, name) == getattr(entry, name) for name in DOCUMENT_FIELDS):
                    continue
                entry.save(force_update=True)
            else:
                entry.save(force_insert=True)
            changed.append(entry)
        stale = [entry.pk for entry in existing.values()]
        if stale:
            SearchEntry.objects.filter(pk__in=stale).delete()
        _fts_write(using, delete=stale + [entry.pk for entry in changed], insert=changed)


def unindex(model, pks: Iterable[int]) -> None:
    """Remove these rows of ``model`` from the index."""
    source = _source_for(model)
    if source is None:
        return
    using = router_db()
    entries = SearchEntry.objects.filter(object_type=source.label, object_id__in=list(pks))
    ids = list(entries.values_list("pk", flat=True))
    if ids:
        SearchEntry.objects.filter(pk__in=ids).delete()
        _fts_write(using, delete=ids, insert=[])


def rebuild(using: str | None = None) -> int:
    """Index every row of every source afresh; returns the number of entries."""
    using = using or router_db()
    with transaction.atomic(using=using):
        SearchEntry.objects.using(using).all().delete()
        entries = [
            _entry(source, obj.pk, doc)
            for source in _sources.values()
            for obj in source.queryset().using(using)
            for doc in source.documents(obj)
        ]
        SearchEntry.objects.using(using).bulk_create(entries, batch_size=500)
        connection = connections[using]
        if connection.vendor == "sqlite":
            columns = ", ".join(TEXT_FIELDS)
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, {columns}) "
                    f"SELECT id, {columns} FROM {SearchEntry._meta.db_table}"
                )
    return len(entries)


# Migrations after which the whole index is written again: the one that makes it, and those
# that change what it holds or how it reads it (languages, text search configurations).
REBUILDING_MIGRATIONS = {
    ("iecmh_site", "0003_search_index"),
    ("iecmh_site", "0005_search_languages"),
}


def rebuild_after_migrate(plan=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: fill the index when a migration that makes or changes it was just
    applied, so content saved before it (an existing database) is searchable at once."""
    if any(
        (migration.app_label, migration.name) in REBUILDING_MIGRATIONS and not backwards
        for migration, backwards in plan or ()
    ):
        rebuild(using)


def router_db() -> str:
    return router.db_for_write(SearchEntry)


def _fts_write(using: str, *, delete: list[int], insert: list[SearchEntry]) -> None:
    """Keep SQLite's FTS5 table in step with the entries (PostgreSQL computes its own)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or not (delete or insert):
        return
    with connection.cursor() as cursor:
        for start in range(0, len(delete), 500):
            chunk = delete[start : start + 500]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", chunk)
        if insert:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(TEXT_FIELDS)}) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(entry.pk, *(getattr(entry, name) for name in TEXT_FIELDS)) for entry in insert],
            )


# ---- answering a query ----


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    summary: str
    label: str
    date: datetime.date | None = None
    when_text: str = ""
    is_sample: bool = False
    rank: float = 0.0
    language: str = DEFAULT_LANGUAGE  # of its text: an English result on a Spanish page


@dataclass
class Group:
    kind: Kind
    count: int
    best: float
    hits: list[SearchHit]

    @property
    def noun(self) -> str:
        return self.kind.one if self.count == 1 else self.kind.many


@dataclass
class Results:
    terms: list[str]
    groups: list[Group]  # the most relevant group first
    matched_all: bool = True  # False: nothing had every word; these have all but one

    @property
    def count(self) -> int:
        return sum(group.count for group in self.groups)

    def group(self, kind: str) -> Group | None:
        return next((group for group in self.groups if group.kind.name == kind), None)


def search(
    query: str | None,
    *,
    user=None,
    kind: str | None = None,
    page: int = 1,
    per_group: int = 5,
    per_page: int = 10,
    language: str = DEFAULT_LANGUAGE,
) -> Results:
    """The visitor's results, grouped by kind, best first within each group and the group
    with the best match first: the first ``per_group`` hits of each group, or with ``kind``
    that group's ``page`` (``per_page`` a page); every group's count either way.

    In ``language`` (the page's) other than English: the entries in that language first,
    then the English entries of items with no match in it; each item once.

    One query, whatever the number of results; a second only when no item has every word
    (then items with all but one of them are given); and those the apps' read rules make
    (pages list their hidden branches).
    """
    language = search_language(language)
    terms = query_terms(query, language)
    if not terms or not _sources:
        return Results(terms=terms, groups=[])
    shown = (kind, (page - 1) * per_page, page * per_page) if kind else (None, 0, per_group)
    visibility = _visibility(user)
    groups = _run([terms], language, visibility, shown)
    if groups or len(terms) == 1:
        return Results(terms=terms, groups=groups)
    # Nothing has every word: what has all but one of them (one word may be misspelt, or
    # more than the site says), rather than what has any one of them.
    all_but_one = [[term for term in terms if term != left_out] for left_out in terms]
    groups = _run(all_but_one, language, visibility, shown)
    return Results(terms=terms, groups=groups, matched_all=False)


def _visibility(user) -> tuple[str, list]:
    """SQL keeping the entries of items ``user`` may see, by each app's own read rule."""
    clauses, params = [], []
    for source in _sources.values():
        if user is not None and can_preview(user, source.model):
            clauses.append("e.object_type = %s")
            params.append(source.label)
        else:
            sql, sql_params = source.public().order_by().values("pk").query.sql_with_params()
            clauses.append(f"(e.object_type = %s AND e.object_id IN ({sql}))")
            params.extend([source.label, *sql_params])
    return " OR ".join(clauses), params


def _matches_sql(vendor: str, alternatives: list[list[str]], language: str):
    """SELECT id, kind, title, object_type, object_id, tier (0: in ``language``, 1: the
    English of an item), score (higher is better) of the entries that have every term of one
    of the ``alternatives``, each entry matched the way its own language is indexed."""
    table = SearchEntry._meta.db_table
    languages = list(dict.fromkeys([language, DEFAULT_LANGUAGE]))
    columns = """e.id, e.kind, e.title, e.object_type, e.object_id,
                 CASE WHEN e.language = %s THEN 0 ELSE 1 END AS tier"""
    if vendor == "postgresql":
        tsquery = " || ".join(
            "(" + " && ".join(["plainto_tsquery(iecmh_search_config(%s), %s)"] * len(terms)) + ")"
            for terms in alternatives
        )
        # One query per language, made with that language's configuration (Spanish stemming
        # for Spanish entries), each matched against the entries in its language only.
        queries = ", ".join([f"(%s, {tsquery})"] * len(languages))
        sql = f"""
            SELECT {columns},
                   ts_rank('{POSTGRES_WEIGHTS}', e.search_vector, q.query, 1) AS score
            FROM {table} e JOIN (VALUES {queries}) AS q (language, query)
                ON q.language = e.language
            WHERE e.search_vector @@ q.query"""
        params = [language]
        for each in languages:
            params.append(each)
            params.extend(v for terms in alternatives for term in terms for v in (each, term))
        return sql, params
    weights = ", ".join(str(weight) for weight in FTS5_WEIGHTS)
    placeholders = ", ".join(["%s"] * len(languages))
    sql = f"""
        SELECT {columns}, -bm25({FTS_TABLE}, {weights}) AS score
        FROM {FTS_TABLE} JOIN {table} e ON e.id = {FTS_TABLE}.rowid
        WHERE {FTS_TABLE} MATCH %s AND e.language IN ({placeholders})"""
    # Each term quoted: letters and digits only (query_terms), never FTS5 syntax. One
    # tokenizer for every language: porter stemming, accents folded.
    match = " OR ".join(
        "(" + " AND ".join(f'"{term}"' for term in terms) + ")" for terms in alternatives
    )
    return sql, [language, match, *languages]


def _run(alternatives, language, visibility, shown) -> list[Group]:
    connection = connections[router_db()]
    table = SearchEntry._meta.db_table
    matches, params = _matches_sql(connection.vendor, alternatives, language)
    visible_sql, visible_params = visibility
    shown_kind, after, upto = shown
    window, window_params = "r.rank_in_kind > %s AND r.rank_in_kind <= %s", [after, upto]
    if shown_kind:
        window, window_params = f"r.kind = %s AND {window}", [shown_kind, *window_params]
    # SQLite must not fold bm25() into the window functions' query.
    materialized = "MATERIALIZED" if connection.vendor == "sqlite" else ""
    # Each item once (its entry in the visitor's language if that matched), then the
    # visitor's language before English within each kind, best first.
    sql = f"""
        WITH matches AS {materialized} ({matches} AND ({visible_sql})),
        items AS (
            SELECT id, kind, title, tier, score,
                   ROW_NUMBER() OVER (PARTITION BY object_type, object_id ORDER BY tier)
                       AS nth_entry
            FROM matches
        ),
        ranked AS (
            SELECT id, kind, tier, score,
                   ROW_NUMBER() OVER (PARTITION BY kind ORDER BY tier, score DESC, title, id)
                       AS rank_in_kind,
                   COUNT(*) OVER (PARTITION BY kind) AS kind_count
            FROM items
            WHERE nth_entry = 1
        )
        SELECT r.kind, r.rank_in_kind, r.kind_count, r.tier, r.score,
               e.title, e.url, e.summary, e.label, e.date, e.when_text, e.is_sample, e.language
        FROM ranked r JOIN {table} e ON e.id = r.id
        WHERE r.rank_in_kind = 1 OR ({window})
        ORDER BY r.kind, r.rank_in_kind"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *visible_params, *window_params])
        rows = cursor.fetchall()

    known = kinds()
    order = list(known)
    to_date = SearchEntry._meta.get_field("date").to_python
    groups: dict[str, Group] = {}
    tiers: dict[str, int] = {}
    for kind, position, count, tier, score, *shown_fields in rows:
        if kind not in known:  # a source no longer registered
            continue
        if kind not in groups:  # its first, the best: the group's place among the others
            groups[kind], tiers[kind] = Group(known[kind], count, score, []), tier
        if shown_kind not in (None, kind) or not after < position <= upto:
            continue  # the first of each group is there for the group's count
        title, url, summary, label, day, when_text, is_sample, entry_language = shown_fields
        groups[kind].hits.append(
            SearchHit(
                title=title,
                url=url,
                summary=summary,
                label=label,
                date=to_date(day),
                when_text=when_text,
                is_sample=bool(is_sample),
                rank=score,
                language=entry_language,
            )
        )
    # Groups with results in the visitor's language first, then by their best result.
    return sorted(
        groups.values(),
        key=lambda group: (tiers[group.kind.name], -group.best, order.index(group.kind.name)),
    )
