"""Views of the reports app: the library, a report, its files and the Atom feed."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from iecmh_site import drafts
from iecmh_site.cache import (
    cache_public_page,
    cache_skip_unless_canonical,
    generation_cached,
    rows_version,
)
from iecmh_site.images import rendition_name, rendition_widths
from iecmh_site.jsonld import to_script_json
from iecmh_site.ratelimits import client_over_limit
from iecmh_site.search import text_search
from iecmh_site.translating import is_translated
from reports.forms import ReportFilterForm
from reports.models import Report, ReportAuthor, ReportOrganization, Topic

PER_PAGE = 12
RELATED_COUNT = 3
# User agents of crawlers and link previewers: their fetches are not downloads by people.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|mediapartners|preview|scrapy|"
    r"python-requests|wget|curl|httpclient",
    re.IGNORECASE,
)
DAY = 24 * 60 * 60
# Covers of published reports are cached for good: a new cover gets a new address.
COVER_MAX_AGE = 365 * DAY


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


@cache_public_page(params={"q", "topic", "role", "year", "page"})
def report_list(request):
    published = Report.objects.published()
    years = generation_cached(
        "report-years",
        lambda: [day.year for day in published.dates("publication_date", "year", order="DESC")],
        changes_with_time=True,  # a report published at its scheduled time may add its year
        by_language=False,
    )
    form = ReportFilterForm(request.GET or None, years=years)
    filters = form.filters()
    reports = published
    if "topic" in filters:
        reports = reports.filter(topics=filters["topic"])
    if "role" in filters:
        reports = reports.filter(roles=filters["role"])
    if "year" in filters:
        reports = reports.filter(publication_date__year=filters["year"])
    if "q" in filters:
        reports = text_search(reports, filters["q"], ["title", "subtitle", "summary"])
    reports = reports.with_topic_list()
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    cache_skip_unless_canonical(request, valid=not (form.is_bound and form.errors), page=page)
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "page_obj": page,
            "reports": page.object_list,
            "filtered": bool(filters),
            "crumbs": [(_("Reports"), reverse("reports:list"))],
            # Report cards are kept across saves, drawn again when a topic changes.
            "topics_version": rows_version(Topic),
        },
    )


@cache_public_page
def report_detail(request, slug):
    queryset = Report.objects.visible_to(request.user).prefetch_related(
        "topics",
        "roles",
        Prefetch("author_links", ReportAuthor.objects.select_related("author")),
        Prefetch("organization_links", ReportOrganization.objects.select_related("organization")),
    )
    report = drafts.preview(request, get_object_or_404(queryset, slug=slug))
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "related": related_reports(report),
            # Invented demo content is never offered as a citation nor as data.
            "citation": "" if report.is_sample else report.apa_citation(),
            "json_ld": "" if report.is_sample else json_ld(report),
            "crumbs": [(_("Reports"), reverse("reports:list")), (report.title, request.path)],
        },
    )


def related_reports(report: Report) -> list[dict]:
    """Up to RELATED_COUNT published reports sharing a topic with ``report``, as the page
    shows them; kept until the next save (a scheduled report may join them in time), so a
    report's page does not ask the database for them each time."""
    topic_ids = sorted(topic.pk for topic in report.topics.all())
    if not topic_ids:
        return []

    def build():
        reports = (
            Report.objects.published()
            .filter(topics__in=topic_ids)
            .exclude(pk=report.pk)
            .distinct()[:RELATED_COUNT]
        )
        return [
            {
                "url": item.get_absolute_url(),
                "title": item.title,
                "summary": item.summary,
                "publication_date": item.publication_date,
                "translated": is_translated(item),
            }
            for item in reports
        ]

    key = f"related-reports:{report.pk}:{'-'.join(map(str, topic_ids))}"
    return generation_cached(key, build, changes_with_time=True)


def json_ld(report: Report) -> str:
    """schema.org Report data, safe inside a <script> element."""
    site = settings.SITE_URL.rstrip("/")

    def organization(org):
        data = {"@type": "Organization", "name": org.name}
        if org.url:
            data["url"] = org.url
        return data

    authors = [
        {"@type": "Organization" if author.is_group else "Person", "name": str(author)}
        for author in report.ordered_authors()
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": report.full_title,
        "headline": report.title,
        "description": report.summary,
        "url": f"{site}{report.get_absolute_url()}",
        "datePublished": report.publication_date.isoformat(),
        "dateModified": report.updated_at.isoformat(),
        # The language of the text served: the page's, or English when the report's fields
        # are not yet written in it (they fall back to English).
        "inLanguage": served_language(report),
        "author": authors or [organization(org) for org in report.producers()],
        "publisher": [organization(org) for org in report.producers()],
        "funder": [organization(org) for org in report.funders()],
        "about": [topic.name for topic in report.topics.all()],
        "audience": [
            {"@type": "Audience", "audienceType": role.name} for role in report.roles.all()
        ],
    }
    cover = report.cover_picture
    if cover is not None:
        data["image"] = f"{site}{cover.src}"
    if report.downloadable:
        data["encoding"] = {
            "@type": "MediaObject",
            "encodingFormat": "application/pdf",
            "contentUrl": f"{site}{report.get_download_url()}",
            "contentSize": report.pdf_size_display,
        }
        if report.pdf_language:
            data["encoding"]["inLanguage"] = report.pdf_language
        data["numberOfPages"] = report.pdf_pages
    data = {key: value for key, value in data.items() if value not in ([], "")}
    return to_script_json(data)


def served_language(report: Report) -> str:
    """The language of the report's text on this page: the active one if written in it."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if is_translated(report, language) else settings.LANGUAGE_CODE


def _private_file(report: Report, opened, **kwargs) -> FileResponse:
    response = FileResponse(opened, **kwargs)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Robots-Tag"] = "noindex"
    if report.is_published:
        response.headers["Cache-Control"] = f"public, max-age={COVER_MAX_AGE}, immutable"
    else:  # a preview for staff: never kept by a browser or a proxy
        response.headers["Cache-Control"] = "private, no-store"
    return response


@require_safe
def report_cover(request, slug, version, width):
    report = get_object_or_404(
        Report.objects.visible_to(request.user).exclude(cover="").filter(files_ready=True),
        slug=slug,
    )
    if version != report.cover_version or width not in rendition_widths(report.cover_width):
        raise Http404("No such cover.")
    try:
        opened = report.cover.storage.open(rendition_name(report.cover, width), "rb")
    except FileNotFoundError as exc:
        raise Http404("The cover is not ready yet.") from exc
    return _private_file(report, opened, content_type="image/webp")


@require_safe
def report_download(request, slug):
    report = get_object_or_404(
        Report.objects.published().exclude(pdf="").filter(files_ready=True), slug=slug
    )
    try:
        pdf = report.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The report's file is missing.") from exc
    if (
        request.method == "GET"
        and not is_bot(request.headers.get("User-Agent", ""))
        and not client_over_limit(request, f"download-{report.pk}", limit=1, window=DAY)
    ):
        # One UPDATE in the database: concurrent downloads never lose a count. A client
        # downloading again the same day is not counted again.
        Report.objects.filter(pk=report.pk).update(download_count=F("download_count") + 1)
    # Inline, with its file name: browsers open the PDF in a tab (and save it under that name).
    response = _private_file(
        report,
        pdf,
        as_attachment=False,
        filename=report.download_filename(),
        content_type="application/pdf",
    )
    response.headers["Cache-Control"] = "no-cache"  # every download is counted
    return response


class ReportFeed(Feed):
    """New reports, in the language of the feed's address (/es/reports/feed/ in Spanish, each
    report's Spanish title and summary once written, else its English ones)."""

    feed_type = Atom1Feed

    def title(self):
        return _("New reports: %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return _("Workforce reports from the MSPCC and MassAIMH partnership.")

    # Absolute addresses from SITE_URL: Django would otherwise take the domain from the
    # Sites table, which a fresh production database has as example.com.
    def link(self):
        return settings.SITE_URL + reverse("reports:list")

    def feed_url(self):
        return settings.SITE_URL + reverse("reports:feed")

    def item_link(self, report):
        return settings.SITE_URL + report.get_absolute_url()

    def items(self):
        return Report.objects.published().with_topic_list().order_by("-publish_at")[:20]

    def item_title(self, report):
        return report.full_title

    def item_description(self, report):
        return report.summary

    def item_pubdate(self, report):
        return report.publish_at

    def item_updateddate(self, report):
        return report.updated_at

    def item_categories(self, report):
        return [topic.name for topic in report.topic_list]
