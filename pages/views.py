from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.generic import TemplateView

from events.models import Campaign, Event
from iecmh_site.search import clean_query
from pages import search as page_search
from pages.models import Page, Role
from reports.models import Report

SEARCH_PAGE_SIZE = 10


def home(request):
    featured_pages = (
        Page.objects.public()
        .filter(show_on_home=True)
        .order_by("navigation_order", "title")
        .only("title", "path", "summary")
    )
    return render(
        request,
        "pages/home.html",
        {
            "roles": Role.objects.all(),
            "featured_pages": featured_pages,
            "featured_report": Report.objects.published().featured().first(),
            "campaign": Campaign.objects.current_or_next(),
            "trainings": Event.objects.published().upcoming().trainings()[:3],
        },
    )


def page_detail(request, page_path):
    page_path = page_path.strip("/")
    if not page_path or len(page_path) > 500:
        raise Http404
    visible = Page.objects.visible_to(request.user)
    page = get_object_or_404(visible, path=page_path)
    ancestors = sorted(
        visible.filter(path__in=page.ancestor_paths).only("title", "path"),
        key=lambda ancestor: len(ancestor.path),
    )
    if len(ancestors) != len(page.ancestor_paths):
        raise Http404  # an ancestor is still a draft: the branch is not public yet
    section_root = ancestors[0] if ancestors else page
    section_pages = list(
        visible.filter(parent_id__in={section_root.pk, page.pk}).only(
            "title", "path", "summary", "parent_id"
        )
    )
    crumbs = [(a.title, a.get_absolute_url()) for a in ancestors]
    crumbs.append((page.title, page.get_absolute_url()))
    return render(
        request,
        "pages/page.html",
        {
            "page": page,
            "crumbs": crumbs,
            "section_root": section_root,
            "subnav": [p for p in section_pages if p.parent_id == section_root.pk],
            "children": [p for p in section_pages if p.parent_id == page.pk],
        },
    )


def search(request):
    query = clean_query(request.GET.get("q"))
    hits = page_search.site_search(query) if query else []
    paginator = Paginator(hits, SEARCH_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "pages/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "result_count": paginator.count,
            "crumbs": [("Search", request.path)],
        },
    )


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"
