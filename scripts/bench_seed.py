"""Seed a scaled benchmark data set on top of `manage.py seed_demo`, with bulk_create.

Run by scripts/bench.py in a subprocess with DATABASE_URL pointing at the benchmark database:
    python scripts/bench_seed.py --pages 200 --reports 500 --events 2000 --subscribers 50000

Each bulk row is a copy of a demo row (the flagship report, a published training, a published
page, a confirmed subscriber) with its unique and identifying fields replaced, so required fields
that the apps add later are filled from real data rather than guessed here.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

PREFIX = "bench"
SUBSCRIBER_DOMAIN = "bench.invalid"
BATCH = 2000
LOREM = (
    "Infant and early childhood mental health professionals support the relationships in which "
    "the youngest children grow. This paragraph stands in for a realistic length of page text. "
)


def setup_django():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iecmh_site.settings")
    import django

    django.setup()


def clone(template, **overrides):
    """A new unsaved instance with the template's concrete field values and the overrides."""
    model = type(template)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        values[field.attname] = getattr(template, field.attname)
    values.update(overrides)
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and field.attname not in overrides:
            raise SystemExit(f"bench_seed: no override for unique field {model.__name__}.{field}")
    return model(**values)


def fields_of(model):
    return {field.attname for field in model._meta.concrete_fields}


def keep_known(model, values):
    """Drop values for fields the model does not have (the apps are still changing)."""
    known = fields_of(model)
    return {key: value for key, value in values.items() if key in known}


def bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


def link_m2m(field, pairs):
    """Bulk-insert (owner_pk, target_pk) rows into an auto-created M2M table."""
    through = field.remote_field.through
    source = field.m2m_field_name() + "_id"
    target = field.m2m_reverse_field_name() + "_id"
    bulk(through, [through(**{source: a, target: b}) for a, b in pairs])


def seed_pages(n, now):
    from pages.models import Page

    template = Page.objects.published().order_by("pk").first()
    if template is None:
        template = Page(title="t", slug="t", path="t", summary="Page.")
    sections = max(1, n // 10)
    body = "".join(f"<p>{LOREM * 3}</p>" for _ in range(4))
    common = keep_known(
        Page,
        {
            "publish_at": now - datetime.timedelta(days=30),
            "show_in_navigation": False,
            "parent_id": None,
            "body": body,
            "hero_image": "",
            "hero_alt": "",
            "hero_width": None,
            "hero_height": None,
            "review_by": None,
            "created_at": now,
            "updated_at": now,
        },
    )
    tops = [
        clone(
            template,
            **common,
            title=f"Benchmark section {i}",
            slug=f"{PREFIX}-section-{i}",
            path=f"{PREFIX}-section-{i}",
            summary=f"Benchmark section {i}: {LOREM[:120]}",
        )
        for i in range(sections)
    ]
    bulk(Page, tops)
    parents = dict(
        Page.objects.filter(slug__startswith=f"{PREFIX}-section-").values_list("slug", "pk")
    )
    children = []
    for i in range(n - sections):
        parent_slug = f"{PREFIX}-section-{i % sections}"
        children.append(
            clone(
                template,
                **{**common, "parent_id": parents[parent_slug]},
                title=f"Benchmark page {i}",
                slug=f"{PREFIX}-page-{i}",
                path=f"{parent_slug}/{PREFIX}-page-{i}",
                summary=f"Benchmark page {i}: {LOREM[:120]}",
            )
        )
    bulk(Page, children)


def seed_reports(n, now, roles):
    from reports.models import Author, Report, ReportAuthor, Topic

    template = Report.objects.filter(pdf__gt="").order_by("-featured", "pk").first()
    if template is None:
        raise SystemExit("bench_seed: seed_demo made no report with a PDF to copy")
    overrides = keep_known(
        Report,
        {
            "featured": False,
            "download_count": 0,
            "created_at": now,
            "updated_at": now,
        },
    )
    first = datetime.date(2000, 1, 1)
    reports = [
        clone(
            template,
            **overrides,
            title=f"Benchmark report {i}: workforce findings",
            slug=f"{PREFIX}-report-{i}",
            subtitle=f"Volume {i}",
            summary=f"Benchmark report {i}. {LOREM}",
            # Older than the demo reports, so the demo reports stay first in listings.
            publication_date=first + datetime.timedelta(days=i % 8000),
            publish_at=now - datetime.timedelta(days=365),
        )
        for i in range(n)
    ]
    bulk(Report, reports)
    ids = list(
        Report.objects.filter(slug__startswith=f"{PREFIX}-report-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    topics = list(Topic.objects.values_list("pk", flat=True))
    if topics:
        link_m2m(Report._meta.get_field("topics"), [(r, topics[r % len(topics)]) for r in ids])
    if roles:
        pairs = [(r, roles[(r + k) % len(roles)]) for r in ids for k in range(2)]
        link_m2m(Report._meta.get_field("roles"), pairs)
    # Authors are reused across reports, as real ones are.
    authors = [
        Author(family_name=f"Benchauthor{i}", given_names=f"Given {i}")
        for i in range(max(2, n // 5))  # two per report, never the same twice
    ]
    bulk(Author, authors)
    author_ids = list(
        Author.objects.filter(family_name__startswith="Benchauthor").values_list("pk", flat=True)
    )
    links = [
        ReportAuthor(report_id=r, author_id=author_ids[(r + k) % len(author_ids)], order=k)
        for r in ids
        for k in range(2)
    ]
    bulk(ReportAuthor, links)


def seed_events(n, now, roles):
    from events.models import Campaign, Event, EventStatus

    template = (
        Event.objects.published().filter(kind=Event.Kind.TRAINING).order_by("pk").first()
        or Event.objects.order_by("pk").first()
    )
    if template is None:
        raise SystemExit("bench_seed: seed_demo made no event to copy")
    campaign = Campaign.objects.current_or_next()
    kinds = [Event.Kind.TRAINING, Event.Kind.WEBINAR, Event.Kind.CONFERENCE, Event.Kind.COMMUNITY]
    overrides = keep_known(
        Event,
        {
            "publish_at": now - datetime.timedelta(days=30),
            "event_status": EventStatus.GOING_AHEAD,
            "all_day": False,
            "sequence": 0,
            "created_at": now,
            "updated_at": now,
        },
    )
    # A third of the events ahead, the rest behind, spread a day apart.
    ahead = n // 3
    events = []
    cbw_days = (
        [campaign.start_date + datetime.timedelta(days=d) for d in range(5)] if campaign else []
    )
    cbw_every = 100  # 1% of events are Celebrate Babies Week activities
    for i in range(n):
        if campaign and i % cbw_every == 0:
            day = cbw_days[(i // cbw_every) % len(cbw_days)]
            start = datetime.datetime.combine(
                day, datetime.time(10 + (i // cbw_every) % 8), tzinfo=datetime.UTC
            )
            extra = {"kind": Event.Kind.CBW, "campaign_id": campaign.pk}
        else:
            offset = i - (n - ahead)  # negative: past
            start = (now + datetime.timedelta(days=offset, hours=i % 7)).replace(
                minute=0, second=0, microsecond=0
            )
            extra = {"kind": kinds[i % len(kinds)], "campaign_id": None}
        events.append(
            clone(
                template,
                **overrides,
                **keep_known(Event, extra),
                title=f"Benchmark event {i}: reflective practice",
                slug=f"{PREFIX}-event-{i}",
                summary=f"Benchmark event {i}. {LOREM[:200]}",
                start=start,
                end=start + datetime.timedelta(hours=2),
            )
        )
    bulk(Event, events)
    if roles:
        ids = Event.objects.filter(slug__startswith=f"{PREFIX}-event-").values_list("pk", flat=True)
        pairs = [(e, roles[(e + k) % len(roles)]) for e in ids for k in range(2)]
        link_m2m(Event._meta.get_field("roles"), pairs)


def insert_copies(template, overrides, vary, values):
    """INSERT one row per value of field `vary`, other columns copied from the template.

    Raw executemany with the constant columns prepared once: the ORM's per-value preparation
    costs minutes at a million rows.
    """
    from django.db import connection

    model = type(template)
    instance = clone(template, **overrides, **{vary: values[0] if values else ""})
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    constant = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
    position = next(i for i, f in enumerate(fields) if f.attname == vary)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), 10_000):
            rows = []
            for value in values[start : start + 10_000]:
                row = list(constant)
                row[position] = value
                rows.append(row)
            cursor.executemany(sql, rows)


def insert_m2m(field, pairs):
    from django.db import connection

    through = field.remote_field.through
    qn = connection.ops.quote_name
    source = through._meta.get_field(field.m2m_field_name()).column
    target = through._meta.get_field(field.m2m_reverse_field_name()).column
    sql = f"INSERT INTO {qn(through._meta.db_table)} ({qn(source)}, {qn(target)}) VALUES (%s, %s)"
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 10_000):
            cursor.executemany(sql, pairs[start : start + 10_000])


def seed_subscribers(n, now, roles):
    from newsletter.models import Subscriber

    template = Subscriber.objects.order_by("pk").first()
    if template is None:
        template = Subscriber(email="x@example.org", consent_text="I agree.", source="import")
    overrides = keep_known(
        Subscriber,
        {
            "status": Subscriber.Status.CONFIRMED,
            "confirmed_at": now,
            "consent_at": now,
            "unsubscribed_at": None,
            "source": Subscriber.Source.IMPORT,
            "created_at": now,
            "updated_at": now,
        },
    )
    emails = [f"subscriber{i}@{SUBSCRIBER_DOMAIN}" for i in range(n)]
    insert_copies(template, overrides, "email", emails)
    if roles:
        ids = Subscriber.objects.filter(email__endswith=f"@{SUBSCRIBER_DOMAIN}").values_list(
            "pk", flat=True
        )
        insert_m2m(Subscriber._meta.get_field("roles"), [(s, roles[s % len(roles)]) for s in ids])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--subscribers", type=int, default=50_000)
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection, transaction
    from django.utils import timezone

    from iecmh_site.vocabulary import Role

    if args.reports and _already_seeded():
        print("bench_seed: benchmark rows already present; leaving the database as it is")
        return
    now = timezone.now()
    roles = list(Role.objects.values_list("pk", flat=True))
    steps = [
        ("pages", seed_pages, (args.pages, now)),
        ("reports", seed_reports, (args.reports, now, roles)),
        ("events", seed_events, (args.events, now, roles)),
        ("subscribers", seed_subscribers, (args.subscribers, now, roles)),
    ]
    for name, step, step_args in steps:
        if not step_args[0]:
            continue
        began = time.monotonic()
        with transaction.atomic():
            step(*step_args)
        print(f"bench_seed: {step_args[0]:>8,} {name} in {time.monotonic() - began:.1f} s")
    # The planner's statistics, as PostgreSQL's autovacuum gathers them after a bulk load (SQLite
    # has none until ANALYZE): without them SQLite reads the event lists through the index on
    # kind instead of the one that holds what they sort (PublishableQuerySet.in_full): 60 ms
    # against 4 for the professional development list at 20x.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _already_seeded():
    from reports.models import Report

    return Report.objects.filter(slug__startswith=f"{PREFIX}-report-").exists()


if __name__ == "__main__":
    main()
