"""Pages in the site search: what the index holds for each page."""

from django.utils.translation import gettext, gettext_lazy

from iecmh_site import search
from pages.models import Page

KIND = search.Kind("pages", gettext_lazy("Pages"), gettext_lazy("page"), gettext_lazy("pages"))


def documents(page: Page) -> list[search.Document]:
    """The page in English, and in Spanish once it is translated."""
    return search.in_languages(page, lambda: _document(page))


def _document(page: Page) -> search.Document:
    return search.Document(
        title=page.title,
        url=page.get_absolute_url(),
        summary=page.summary,
        # What search engines are told about it is a fair summary of it too.
        keywords=" ".join(filter(None, [page.seo_title, page.seo_description])),
        body=search.html_text(page.body),
        label=gettext("Page"),
        is_sample=page.is_sample,
    )


def register() -> None:
    search.register(
        search.Source(
            kind=KIND,
            model=Page,
            documents=documents,
            queryset=Page.objects.all,
            # A published page under a draft section is not public (Page.objects.public).
            public=Page.objects.public,
        )
    )


def pages_moved(pks) -> None:
    """Index again pages whose address changed without a save (pages.services)."""
    search.reindex(Page, pks)
