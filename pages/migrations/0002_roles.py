from django.db import migrations

ROLES = [
    (
        "Behavioral health clinicians",
        "behavioral-health-clinicians",
        "Clinicians who support the mental health of infants, young children and their families.",
    ),
    (
        "Pediatricians",
        "pediatricians",
        "Pediatricians and other pediatric primary-care staff who see every family early and often.",
    ),
    (
        "Family partners",
        "family-partners",
        "Family partners who walk alongside parents and caregivers, drawing on lived experience.",
    ),
    (
        "Home visitors",
        "home-visitors",
        "Home visitors who build relationships with families where they live.",
    ),
    (
        "Early education and care practitioners",
        "early-education-and-care",
        "Early educators and child-care staff who nurture young children every day.",
    ),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("pages", "Role")
    for order, (name, slug, description) in enumerate(ROLES, start=1):
        Role.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
