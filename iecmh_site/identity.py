"""Who the site belongs to and how to reach them, edited by staff: logo, partner logos,
contact details, social links and footer text (one row, "Site settings" in the admin)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iecmh_site.cache import generation_cached
from iecmh_site.fields import HttpsURLField, LineField, ProseField
from iecmh_site.images import HeroPicture, Picture

SOCIAL_NETWORKS = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("linkedin", "LinkedIn"),
    ("youtube", "YouTube"),
    ("bluesky", "Bluesky"),
    ("x", "X (Twitter)"),
]


class SiteSettings(HeroPicture):
    """The one row of site settings; its picture is the site's logo."""

    contact_email = models.EmailField(blank=True)
    phone = LineField(
        max_length=40, blank=True, help_text=_("As people should dial it: 617-555-0100.")
    )
    address = ProseField(
        _("postal address"), blank=True, help_text=_("One line per line of the address.")
    )
    contact_note = ProseField(
        blank=True,
        help_text=_("A sentence shown with the contact details: who answers, and how soon."),
    )
    footer_text = ProseField(blank=True, help_text=_("A short line at the foot of every page."))
    is_sample = models.BooleanField(
        _("sample contact details"),
        default=False,
        help_text=_("The demo's invented details: shown marked “Sample” until replaced."),
    )

    class Meta:
        app_label = "iecmh_site"
        verbose_name = verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def phone_href(self) -> str:
        digits = "".join(c for c in self.phone if c.isdigit() or c == "+")
        return f"tel:{digits}" if digits else ""


class PartnerLogo(HeroPicture):
    """A partner's or funder's logo, linking to its site; its picture is the logo."""

    settings = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="partners")
    name = LineField(max_length=200)
    url = HttpsURLField(_("website"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "iecmh_site"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class SocialLink(models.Model):
    settings = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="social")
    network = models.CharField(max_length=20, choices=SOCIAL_NETWORKS)
    url = HttpsURLField(_("address"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "iecmh_site"
        ordering = ["order", "network"]

    def __str__(self):
        return self.get_network_display()


@dataclass
class Partner:
    name: str
    url: str
    logo: Picture | None
    alt: str


@dataclass
class Identity:
    """What templates show: plain values, cached whole (no query on a cache hit)."""

    contact_email: str = ""
    phone: str = ""
    phone_href: str = ""
    address_lines: list[str] = field(default_factory=list)
    contact_note: str = ""
    footer_text: str = ""
    is_sample: bool = False
    logo: Picture | None = None
    logo_alt: str = ""
    partners: list[Partner] = field(default_factory=list)
    social: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.phone or self.address_lines)


def _identity() -> Identity:
    row = SiteSettings.objects.prefetch_related("partners", "social").first()
    if row is None:
        return Identity()
    return Identity(
        contact_email=row.contact_email,
        phone=row.phone,
        phone_href=row.phone_href,
        address_lines=row.address_lines,
        contact_note=row.contact_note,
        footer_text=row.footer_text,
        is_sample=row.is_sample,
        logo=row.hero_picture,
        logo_alt=row.hero_alt or settings.SITE_NAME,
        partners=[
            Partner(p.name, p.url, p.hero_picture, p.hero_alt or p.name) for p in row.partners.all()
        ],
        social=[(link.get_network_display(), link.url) for link in row.social.all()],
    )


def identity() -> Identity:
    """The site's identity, cached until the next save of any content."""
    return generation_cached("identity", _identity)
