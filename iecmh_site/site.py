"""Site-wide views that gather from every app: home, search, sitemaps, robots.txt, and the
stable links of rich text (their redirect, and the editor's link picker)."""

import hashlib
import re
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap, x_robots_tag
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from events import sitemaps as event_sitemaps
from events.models import Campaign, Event
from iecmh_site import links
from iecmh_site import search as search_index
from iecmh_site.cache import (
    cache_public_page,
    cache_skip_unless_canonical,
    content_cached,
    generation_cached,
)
from iecmh_site.search import clean_query
from iecmh_site.vocabulary import Role
from pages import sitemaps as page_sitemaps
from pages.models import Page
from reports import sitemaps as report_sitemaps
from reports.models import Report, ReportOrganization

# Search results: the first few of each kind, then a kind's own pages (?kind=reports).
SEARCH_PER_GROUP = 5
SEARCH_PAGE_SIZE = 10


@cache_public_page
def home(request):
    featured_pages = (
        Page.objects.public()
        .filter(show_on_home=True)
        .order_by("navigation_order", "title")
        .only("title", "path", "summary", "is_sample")
    )
    trainings = Event.objects.published().upcoming().trainings()
    return render(
        request,
        "home.html",
        {
            "roles": generation_cached(
                "roles", lambda: list(Role.objects.all()), by_language=False
            ),
            "featured_pages": featured_pages,
            "featured_report": Report.objects.published()
            .featured()
            .prefetch_related(
                Prefetch(
                    "organization_links",
                    ReportOrganization.objects.select_related("organization"),
                )
            )
            .first(),
            "campaign": Campaign.objects.current_or_next(),
            "trainings": trainings.in_full(trainings.values("pk")[:3]),
        },
    )


def _page_number(raw: str | None) -> int:
    """?page= as a number from 1 (junk: 1; huge: past the last page, which shows the last)."""
    try:
        return min(max(1, int(raw or 1)), 10**6)
    except ValueError:
        return 1


# Visitors type anything: what they type may take at most this many new places in the page
# cache per PAGE_CACHE_SECONDS, whatever staff save; searches past them are made afresh each
# time. Searches were half of the workers' time under load (the bench's soak), and visitors
# repeat the common ones.
SEARCH_CACHE_BUDGET = 500


@cache_public_page(params={"q", "kind", "page"}, budget=SEARCH_CACHE_BUDGET)
def search(request):
    """Results grouped by kind (pages, reports, events), each group best first; ?kind=
    shows one group, a page at a time."""
    query = clean_query(request.GET.get("q"))
    kinds = search_index.kinds()
    kind = request.GET.get("kind")
    if kind not in kinds:
        kind = None
    results, page_obj = search_index.Results(terms=[], groups=[]), None
    if query and kind:
        number = _page_number(request.GET.get("page"))
        results = search_index.search(
            query,
            user=request.user,
            kind=kind,
            page=number,
            per_page=SEARCH_PAGE_SIZE,
            language=translation.get_language(),
        )
        group = results.group(kind)
        page_obj = Paginator(range(group.count if group else 0), SEARCH_PAGE_SIZE).get_page(number)
        if page_obj.number != number:  # past the last page: show the last one
            results = search_index.search(
                query,
                user=request.user,
                kind=kind,
                page=page_obj.number,
                per_page=SEARCH_PAGE_SIZE,
                language=translation.get_language(),
            )
            group = results.group(kind)
        page_obj.object_list = group.hits if group else []
    elif query:
        results = search_index.search(
            query,
            user=request.user,
            per_group=SEARCH_PER_GROUP,
            language=translation.get_language(),
        )
    cache_skip_unless_canonical(
        request, valid=kind is not None or "kind" not in request.GET, page=page_obj
    )
    return render(
        request,
        "search.html",
        {
            "query": query,
            "results": results,
            "kind": kinds.get(kind),
            "group": results.group(kind) if kind else None,
            "page_obj": page_obj,
            "crumbs": [(gettext("Search"), request.path)],
        },
    )


class HomeSitemap(Sitemap):
    priority = 1.0
    changefreq = "weekly"

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)


# Items per page of a section's sitemap; with Spanish, twice as many addresses, each with its
# alternates. A page stays about 200 KB to build and send, whatever the data size (1,000 items
# made 800 KB, and a worker 6 MiB bigger while it built one).
SITEMAP_PAGE_SIZE = 250


class _LanguagePairs(Sequence):
    """(item, language) for each item and site language, in the order Django's i18n sitemaps
    list them, but read a page at a time: a section of 40,000 events is never all in memory
    (Django's own list would load every row)."""

    def __init__(self, items, languages):
        self.items, self.languages = items, list(languages)
        self._length = None

    def __len__(self):
        if self._length is None:
            count = self.items.count() if isinstance(self.items, QuerySet) else len(self.items)
            self._length = count * len(self.languages)
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        per_item = len(self.languages)
        first = start // per_item
        rows = self.items[first : -(-stop // per_item)]
        pairs = [(row, language) for row in rows for language in self.languages]
        offset = start - first * per_item
        return pairs[offset : offset + max(stop - start, 0)]


def _sitemaps() -> dict[str, type[Sitemap]]:
    """Every app's sitemaps, with addresses built from SITE_URL (not the Sites table), each
    item once per language (English at today's address, Spanish under /es/), with its
    hreflang alternates and x-default (the English address), SITEMAP_PAGE_SIZE items a page."""
    scheme, _, domain = settings.SITE_URL.partition("://")

    class SiteUrl:
        i18n = True
        alternates = True
        x_default = True
        limit = SITEMAP_PAGE_SIZE * len(settings.LANGUAGES)

        def get_domain(self, site=None):
            return domain

        def get_protocol(self, protocol=None):
            return scheme or "https"

        def _items(self):
            return _LanguagePairs(self.items(), self._languages())

    found = {
        "home": HomeSitemap,
        **page_sitemaps.sitemaps,
        **report_sitemaps.sitemaps,
        **event_sitemaps.sitemaps,
    }
    return {name: type(cls.__name__, (SiteUrl, cls), {}) for name, cls in found.items()}


SITEMAP_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def _kept_sitemap(name: str, render, *, listed=None):
    """A sitemap response's body and headers, kept until the next save (and at most
    PAGE_CACHE_SECONDS, so scheduled items appear): building one reverses every address on
    it. ``listed()``: a digest of what the page lists; the body is then also kept under it
    across saves, so a save that changes nothing on the page costs two queries, not a build."""

    def build():
        response = render().render()
        headers = {h: response[h] for h in SITEMAP_HEADERS if response.has_header(h)}
        return response.content, headers

    def build_or_keep():
        digest = listed() if listed else None
        return content_cached(f"{name}:{digest}", build) if digest else build()

    content, headers = generation_cached(name, build_or_keep, changes_with_time=True)
    return HttpResponse(content, headers=headers)


def _listed(sitemap: Sitemap, page: int) -> str | None:
    """A digest of the items on a page of a section, as read from the database (each row's
    loaded fields: what its address and last change are made of), in order; None for a page
    out of range (its render answers 404)."""
    paginator = sitemap.paginator  # a property: a new paginator, counting again, each time
    try:
        pairs = paginator.page(page).object_list
    except InvalidPage:
        return None
    items = []
    for item, language in pairs:
        if isinstance(item, Model):
            fields = item._meta.concrete_fields
            item = [getattr(item, f.attname) for f in fields if f.attname in item.__dict__]
        items.append((item, language))
    return hashlib.sha256(repr([paginator.count, items]).encode()).hexdigest()[:32]


@cache_public_page
def sitemap_xml(request):
    """The sitemap index: each section's pages (/sitemap-events.xml?p=2), which search engines
    read in turn."""

    def render():
        locations = []
        for section, sitemap_class in _sitemaps().items():
            address = settings.SITE_URL + reverse("sitemap-section", kwargs={"section": section})
            pages = sitemap_class().paginator.num_pages
            locations += [address] + [f"{address}?p={n}" for n in range(2, pages + 1)]
        return x_robots_tag(TemplateResponse)(
            request,
            "sitemap_index.xml",
            {"sitemaps": [SitemapIndexItem(location) for location in locations]},
            content_type="application/xml",
        )

    return _kept_sitemap("sitemap-index", render)


@cache_public_page(params={"p"})
def sitemap_section(request, section):
    """One page of one section: every public address in both languages."""
    sitemaps = _sitemaps()
    if section not in sitemaps:
        raise Http404("No such sitemap.")
    page = request.GET.get("p", "1")
    if not re.fullmatch(r"[0-9]{1,6}", page):  # not "²", which isdigit() takes
        raise Http404("No such page of the sitemap.")

    def render():
        return sitemap(request, sitemaps=sitemaps, section=section)

    return _kept_sitemap(
        f"sitemap:{section}:{int(page)}",
        render,
        listed=lambda: _listed(sitemaps[section](), int(page)),
    )


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        # The same private paths under each language's prefix: "" (English), "/es".
        prefixes = [
            "" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _ in settings.LANGUAGES
        ]
        return super().get_context_data(language_prefixes=prefixes, **kwargs)


robots_txt = cache_public_page(RobotsView.as_view())


def stable_link(request, kind, pk):
    """/link/<kind>/<id>/, as the rich-text link picker stores it: on to the target's current
    address; "Page not found" when it is gone or not visible to this visitor."""
    link_kind = links.KINDS.get(kind)
    if link_kind is None:
        raise Http404
    visible = link_kind.visible_to(request.user).only(*link_kind.url_fields)
    return redirect(get_object_or_404(visible, pk=int(pk)).get_absolute_url())


LINK_TARGETS_LIMIT = 20


def _may_view(user, model) -> bool:
    """As the admin decides: the view or the change permission."""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


@never_cache
@require_safe
def link_targets(request):
    """For the rich-text editor's link picker: the pages, reports and events (drafts too)
    whose title contains ?q=, or the most recently edited ones without it; at most
    LINK_TARGETS_LIMIT, of the kinds this staff member may view in the admin. ?q= may also be
    a stable link (/link/page/12/), to name what a link points to."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return JsonResponse(
            {"error": gettext("Sign in to the site administration first.")}, status=403
        )
    kinds = [kind for kind in links.KINDS.values() if _may_view(user, kind.model)]
    if not kinds:
        return JsonResponse(
            {"error": gettext("You may not view pages, reports or events.")}, status=403
        )

    query = clean_query(request.GET.get("q"))
    stable = links.parse_stable_href(query)
    found = []
    for kind in kinds:
        rows = kind.model._default_manager.only(
            "title", "publish_at", "updated_at", *kind.url_fields
        )
        if stable:
            stable_kind, pk = stable
            rows = rows.filter(pk=pk) if stable_kind == kind.name else rows.none()
        elif query:
            rows = rows.filter(title__icontains=query).order_by("title")
        else:
            rows = rows.order_by("-updated_at")
        found += [(kind, row) for row in rows[:LINK_TARGETS_LIMIT]]

    if query and not stable:
        # Titles that start with the words typed first, then alphabetical.
        folded = query.casefold()
        found.sort(key=lambda hit: (not hit[1].title.casefold().startswith(folded), hit[1].title))
    else:
        found.sort(key=lambda hit: hit[1].updated_at, reverse=True)
    results = [
        {
            "kind": kind.name,
            "kindLabel": str(kind.label),
            "id": row.pk,
            "title": row.title,
            "href": links.stable_href(kind.name, row.pk),
            "url": row.get_absolute_url(),
            "state": str(row.publication_state.label),
            "published": row.is_published,
        }
        for kind, row in found[:LINK_TARGETS_LIMIT]
    ]
    return JsonResponse({"results": results})
