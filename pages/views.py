from django.http import Http404
from django.shortcuts import get_object_or_404, render

from iecmh_site import drafts
from iecmh_site.cache import cache_public_page
from pages.models import Page


@cache_public_page
def page_detail(request, page_path):
    page_path = page_path.strip("/")
    if not page_path or len(page_path) > 500:
        raise Http404
    visible = Page.objects.visible_to(request.user)
    page = drafts.preview(request, get_object_or_404(visible, path=page_path))
    ancestors = sorted(
        visible.filter(path__in=page.ancestor_paths).only("title", "path"),
        key=lambda ancestor: len(ancestor.path),
    )
    if len(ancestors) != len(page.ancestor_paths):
        raise Http404  # an ancestor is still a draft: the branch is not public yet
    section_root = ancestors[0] if ancestors else page
    section_pages = list(
        visible.filter(parent_id__in={section_root.pk, page.pk}).only(
            "is_sample", "title", "path", "summary", "parent_id"
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
