"""Demo site settings: the real partners, and sample contact details (reserved values)."""

from iecmh_site.demo.spanish import spanish, spanish_fill
from iecmh_site.identity import PartnerLogo, SiteSettings

PARTNERS = [
    (
        "Massachusetts Society for the Prevention of Cruelty to Children (MSPCC)",
        "https://www.mspcc.org/",
    ),
    ("Massachusetts Association for Infant Mental Health (MassAIMH)", "https://www.massaimh.org/"),
]


SPANISH = {"contact_note": "Respondemos en un plazo de cinco días hábiles."}


def seed(*, stdout) -> None:
    existing = SiteSettings.objects.first()
    if existing is not None:
        # Still the demo's sample row: it gains the Spanish it was made without.
        if existing.is_sample and spanish_fill(existing, SPANISH):
            stdout.write("Site settings: already there; Spanish added.")
        else:
            stdout.write("Site settings: already there.")
        return
    row = SiteSettings.objects.create(
        contact_email="info@example.org",
        phone="617-555-0100",
        address="100 Example Street\nBoston, MA",
        contact_note="We answer within five working days.",
        is_sample=True,
        **spanish(SPANISH),
    )
    for order, (name, url) in enumerate(PARTNERS):
        PartnerLogo.objects.create(settings=row, name=name, url=url, order=order)
    stdout.write("Site settings: created, with sample contact details.")
