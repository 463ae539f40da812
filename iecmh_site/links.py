"""Stable links to the site's own pages, reports and events inside rich text.

Staff pick a target in the editor and the stored href names it by kind and id,
``/link/page/12/``, never by its address, so it keeps working when a slug or a parent
changes. Printed to visitors, each such href becomes the target's current address, with one
query per kind of target (pages take two: their read rule first lists the hidden branches);
a visitor who follows a stored one anyway (a feed reader, a copied link) is redirected by
``iecmh_site.site.stable_link``.

This module sits below the apps, so it names their models by label and uses their own read
rules (``published()``, ``public()``) through the managers, without importing them.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from iecmh_site.publishing import can_preview

PREFIX = "/link/"
# Stored by the editor, then normalised by nh3: always this exact, double-quoted spelling.
STABLE_HREF = re.compile(r'(?<=\s)href="/link/(?P<kind>[a-z]+)/(?P<pk>[0-9]{1,18})/"')
_WHOLE_STABLE_HREF = re.compile(r"/link/(?P<kind>[a-z]+)/(?P<pk>[0-9]{1,18})/")
# An <a> element of sanitised HTML: attribute values are double-quoted with any quote
# escaped, and anchors never nest, so this cannot stop inside a value or a nested link.
ANCHOR = re.compile(r'<a\b(?P<attrs>(?:[^>"]|"[^"]*")*)>(?P<content>.*?)</a>', re.DOTALL)


@dataclass(frozen=True)
class LinkKind:
    name: str  # in the stored href: /link/<name>/<id>/
    label: str  # shown to staff in the picker
    model_label: str
    url_fields: tuple[str, ...]  # what get_absolute_url() reads
    public: str = "published"  # the QuerySet method that says what visitors may see

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def visible_to(self, user) -> models.QuerySet:
        """What ``user`` may follow a link to: everything for staff who preview the model,
        otherwise what the app's own read rule shows visitors."""
        manager = self.model._default_manager
        if can_preview(user, manager.model):
            return manager.all()
        return getattr(manager, self.public)()


KINDS = {
    kind.name: kind
    for kind in [
        # A published page under a draft parent is not public yet (pages.models.public).
        LinkKind("page", _("Page"), "pages.Page", ("path",), public="public"),
        LinkKind("report", _("Report"), "reports.Report", ("slug",)),
        LinkKind("event", _("Event"), "events.Event", ("slug",)),
    ]
}


def stable_href(kind: str, pk: int) -> str:
    return f"{PREFIX}{kind}/{pk}/"


def parse_stable_href(value: str) -> tuple[str, int] | None:
    """(kind, id) when ``value`` is a stable link, else None."""
    match = _WHOLE_STABLE_HREF.fullmatch(value)
    return (match["kind"], int(match["pk"])) if match else None


def current_urls(targets: Iterable[tuple[str, int]], user) -> dict[tuple[str, int], str]:
    """The current address of each (kind, id) that ``user`` may see; the others are left
    out. One query per kind (two for pages), however many targets."""
    wanted = defaultdict(set)
    for kind, pk in targets:
        if kind in KINDS:
            wanted[kind].add(pk)
    urls = {}
    for kind, pks in wanted.items():
        link_kind = KINDS[kind]
        for obj in link_kind.visible_to(user).filter(pk__in=pks).only(*link_kind.url_fields):
            urls[(kind, obj.pk)] = obj.get_absolute_url()
    return urls


def resolve_stable_links(html: str, user) -> str:
    """Sanitised rich text with each stable link pointing at its target's current address.

    A link to something ``user`` may not see (a draft, a deleted report) keeps its words and
    loses the link, so visitors never meet a link that leads to "Page not found".
    """
    if PREFIX not in html:
        return html
    found = {}
    for anchor in ANCHOR.finditer(html):
        if match := STABLE_HREF.search(anchor["attrs"]):
            found[anchor.start()] = (match["kind"], int(match["pk"]))
    if not found:
        return html
    urls = current_urls(found.values(), user)

    def rewrite(anchor: re.Match) -> str:
        target = found.get(anchor.start())
        if target is None:
            return anchor[0]
        url = urls.get(target)
        if url is None:
            return anchor["content"]
        attrs = STABLE_HREF.sub(lambda _: f'href="{escape(url)}"', anchor["attrs"], count=1)
        return f"<a{attrs}>{anchor['content']}</a>"

    return ANCHOR.sub(rewrite, html)
