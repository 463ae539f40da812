"""Reports in the site search: a report's document names its authors, organizations, topics
and roles, so "Boston Foundation" finds what it funded."""

from django.utils.translation import gettext, gettext_lazy

from iecmh_site import search
from iecmh_site.vocabulary import Role
from reports.models import Author, Organization, Report, ReportAuthor, ReportOrganization, Topic

KIND = search.Kind(
    "reports", gettext_lazy("Reports"), gettext_lazy("report"), gettext_lazy("reports")
)


def documents(report: Report) -> list[search.Document]:
    """The report in English, and in Spanish once it is translated (its topics in Spanish
    where they are). Reads the relations search_queryset() prefetches."""
    return search.in_languages(report, lambda: _document(report))


def _document(report: Report) -> search.Document:
    label = gettext("Report")
    names = [
        label,
        *(str(link.author) for link in report.author_links.all()),
        *(link.organization.name for link in report.organization_links.all()),
        *(topic.name for topic in report.topics.all()),
        *(role.label for role in report.roles.all()),
    ]
    return search.Document(
        title=report.full_title,
        url=report.get_absolute_url(),
        summary=report.summary,
        keywords=". ".join(names),
        body=search.html_text(report.key_findings),
        label=label,
        date=report.publication_date,
        is_sample=report.is_sample,
    )


def search_queryset():
    return Report.objects.prefetch_related(
        "author_links__author", "organization_links__organization", "topics", "roles"
    )


def _reports_naming(lookup: str):
    """For a row of another model: the reports whose document names it."""
    return lambda obj: Report.objects.filter(**{lookup: obj}).values_list("pk", flat=True)


def register() -> None:
    search.register(
        search.Source(
            kind=KIND,
            model=Report,
            documents=documents,
            queryset=search_queryset,
            public=Report.objects.published,
            related={
                ReportAuthor: lambda link: [link.report_id],
                ReportOrganization: lambda link: [link.report_id],
                Author: _reports_naming("author_links__author"),
                Organization: _reports_naming("organization_links__organization"),
                Topic: _reports_naming("topics"),
                Role: _reports_naming("roles"),
            },
        )
    )
