"""The five professional roles the partnership serves: (name, slug, description)."""

ROLES = [
    (
        "Behavioral health clinicians",
        "behavioral-health-clinicians",
        "Clinicians who support the mental health of infants, young children and their families.",
    ),
    (
        "Pediatricians",
        "pediatricians",
        "Pediatricians and other pediatric primary-care staff, who see every family early "
        "and often.",
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
