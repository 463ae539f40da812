"""Demo program pages, written from the facts in the content brief."""

from django.utils import timezone

from iecmh_site.demo.images import banner_jpeg
from iecmh_site.demo.spanish import spanish, spanish_fill
from iecmh_site.vocabulary import Partner
from pages.models import Page
from pages.services import page_save

REGISTERED_PRACTICE = (
    "Culturally Sensitive, Relationship-Focused Practice Promoting Infant and Early Childhood "
    "Mental Health®"
)

# (path, title, summary, body, show in navigation, order)
PAGES = [
    (
        "our-work",
        "Our Work",
        "Since 2019, MSPCC and MassAIMH have worked together to build a diverse infant and early "
        "childhood mental health workforce across Massachusetts.",
        f"""
<p>The Massachusetts Society for the Prevention of Cruelty to Children (MSPCC) and the
Massachusetts Association for Infant Mental Health (MassAIMH) have been partners since 2019.
Together we establish, strengthen and expand a diverse infant and early childhood mental health
(IECMH) workforce, and we drive equity so that every child in the Commonwealth has access to
IECMH supports and services.</p>
<h2>Who we support</h2>
<p>We prepare professionals in five roles who care for babies, young children and their
families:</p>
<ul>
<li><p>behavioral health clinicians</p></li>
<li><p>pediatricians and other pediatric primary-care staff</p></li>
<li><p>family partners</p></li>
<li><p>home visitors</p></li>
<li><p>early education and care practitioners</p></li>
</ul>
<h2>How we work</h2>
<p>We work closely with state partners in the Commonwealth. We create equitable access to
<em>{REGISTERED_PRACTICE}</em> while expanding the capacity of the workforce.</p>
""",
        True,
        10,
    ),
    (
        "the-need",
        "The Need",
        "Babies and young children thrive in safe, nurturing relationships. Families need a "
        "robust, diverse and well-trained workforce to support them.",
        """
<p>The partnership plays a prominent role in preparing IECMH professionals, working closely
with state partners in the Commonwealth, to establish, strengthen and expand a diverse
infant and early childhood mental health workforce.</p>
<p>The earliest years shape a lifetime. Early relational health, the thriving and wellness of
the youngest children and their families, and lessening the impact of adverse childhood
experiences (ACEs) all depend on the people who work with families every day.</p>
<h2>Equity and access</h2>
<p>Every child in the Commonwealth should be able to reach infant and early childhood mental
health supports and services, whoever they are and wherever they live. That takes a workforce
that reflects the families it serves.</p>
<h2>A robust, interdisciplinary workforce</h2>
<p>Clinicians, pediatric teams, family partners, home visitors and early educators each see
families at different moments. When they share training and a common language, families get
consistent, relationship-focused support.</p>
""",
        True,
        20,
    ),
    (
        "the-efforts",
        "The Efforts",
        "Three strands of work: training, policy and advocacy, and systems building.",
        """
<p>Our efforts run along three strands that strengthen one another. Training grows the skills
of people in the field; policy and advocacy secure the conditions they need; systems building
makes the gains last.</p>
""",
        True,
        30,
    ),
    (
        "the-efforts/training",
        "Training",
        "Statewide professional development for the five roles, and pathways to the IECMH "
        "Endorsement® credential.",
        """
<p>We offer statewide professional development trainings for behavioral health clinicians,
pediatric teams, family partners, home visitors and early education and care practitioners.</p>
<h2>The IECMH Endorsement®</h2>
<p>We support pathways to the IECMH Endorsement® credential. Staying endorsed asks for yearly
training hours and reflective supervision hours, and our trainings and reflective consultation
groups help professionals meet them.</p>
<p>Read <a href="/the-efforts/training/iecmh-endorsement/">how the IECMH Endorsement® works</a>,
and see upcoming sessions on the <a href="/professional-development/">professional
development</a> page.</p>
""",
        False,
        10,
    ),
    (
        "the-efforts/training/iecmh-endorsement",
        "The IECMH Endorsement®",
        "The IECMH Endorsement® is a credential for professionals who work with infants, young "
        "children and their families. In Massachusetts it is pursued through MassAIMH.",
        """
<p>The IECMH Endorsement® recognizes the knowledge and experience of professionals who work
with infants, young children and their families, whatever their discipline.</p>
<h2>Pursuing it in Massachusetts</h2>
<p>The Massachusetts Association for Infant Mental Health (MassAIMH) is the Massachusetts member
of the Alliance for the Advancement of Infant Mental Health. Professionals in Massachusetts
pursue the IECMH Endorsement® through MassAIMH.</p>
<h2>Staying endorsed</h2>
<p>Staying endorsed asks for yearly training hours and reflective supervision hours. The
partnership's trainings and reflective consultation groups help professionals meet them.</p>
<p><a href="https://www.massaimh.org/">Learn about the IECMH Endorsement® and apply at
MassAIMH</a>.</p>
""",
        False,
        15,
    ),
    (
        "the-efforts/policy-and-advocacy",
        "Policy & Advocacy",
        "Advocacy for the policies and infrastructure that a strong IECMH workforce needs.",
        """
<p>We take part in bi-monthly advocacy meetings with the Children's Mental Health Campaign, and
we use evidence about the workforce to press for stronger trainings and infrastructure.</p>
<p>Our workforce report, <a href="/reports/">A Mapping of Workforce Assets and Needs:
Massachusetts IECMH</a>, is a foundation for this work.</p>
""",
        False,
        20,
    ),
    (
        "the-efforts/systems-building",
        "Systems Building",
        "Building the structures that keep infant and early childhood mental health support "
        "available across the Commonwealth.",
        """
<p>Training and advocacy last when the systems around them change. We work with state partners
so that IECMH practice is part of the places families already go.</p>
<p>We also run reflective consultation groups, which give professionals a regular space to
reflect on their work with families.</p>
""",
        False,
        30,
    ),
    (
        "about",
        "About the partnership",
        "Who we are: a partnership of MSPCC and MassAIMH, in place since 2019.",
        """
<p>This website is run by a partnership between the Massachusetts Society for the Prevention of
Cruelty to Children (MSPCC) and the Massachusetts Association for Infant Mental Health
(MassAIMH), in place since 2019.</p>
<p>Learn more on the partners' own websites:
<a href="https://www.mspcc.org/">MSPCC</a> and
<a href="https://www.massaimh.org/">MassAIMH</a>.</p>
""",
        False,
        40,
    ),
    (
        "contact",
        "Contact us",
        "How to reach the partnership.",
        """
<p>Email, call or write to us about trainings, reports or Celebrate Babies Week. You can also
reach either partner through its own website: <a href="https://www.mspcc.org/">MSPCC</a> or
<a href="https://www.massaimh.org/">MassAIMH</a>.</p>
<p>To hear from us, <a href="/newsletter/">join our mailing list</a>.</p>
""",
        False,
        50,
    ),
    (
        "accessibility",
        "Accessibility",
        "How we make this website usable by everyone, and how to tell us when something gets "
        "in your way.",
        """
<p>We want everyone to be able to use this website, including people who use a screen reader,
a keyboard, voice control, magnification or a phone.</p>
<h2>What we aim for</h2>
<p>The website aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA.
Every page is checked automatically before each change is published, and we test the main
tasks (finding a report, an event or a training, and joining the mailing list) with a
keyboard alone.</p>
<h2>Reports in PDF</h2>
<p>Each report page gives the report's summary and key findings as web text. Some older PDF
reports may be hard to use with a screen reader; the report page says so when it is the
case.</p>
<h2>Tell us about a problem</h2>
<p>If something on this website is hard to use, or you need a report in another format,
please contact us using the details on our <a href="/contact/">Contact page</a>. We aim to
answer within five working days.</p>
""",
        False,
        60,
    ),
]

# The registered name keeps its English wording; a Spanish gloss follows it.
REGISTERED_PRACTICE_ES = (
    f'<em lang="en">{REGISTERED_PRACTICE}</em> (una práctica culturalmente sensible y centrada '
    "en las relaciones, que promueve la salud mental infantil y de la primera infancia)"
)
ENDORSEMENT_ES = (
    "IECMH Endorsement® (una credencial profesional en salud mental infantil y de la primera "
    "infancia)"
)

# The same pages in Spanish, for families' and children's professionals in Massachusetts
# (usted). Rich text links name the Spanish addresses, under /es/.
SPANISH = {
    "our-work": {
        "title": "Nuestro trabajo",
        "summary": "Desde 2019, MSPCC y MassAIMH trabajan juntas para formar una fuerza laboral "
        "diversa en salud mental infantil y de la primera infancia en todo Massachusetts.",
        "body": f"""
<p>La Sociedad de Massachusetts para la Prevención de la Crueldad contra los Niños
(Massachusetts Society for the Prevention of Cruelty to Children, MSPCC) y la Asociación de
Massachusetts para la Salud Mental Infantil (Massachusetts Association for Infant Mental Health,
MassAIMH) trabajan en alianza desde 2019. Juntas, establecemos, fortalecemos y ampliamos una
fuerza laboral diversa en salud mental infantil y de la primera infancia (IECMH, por sus siglas
en inglés), e impulsamos la equidad para que todos los niños y niñas de Massachusetts tengan
acceso a apoyos y servicios de IECMH.</p>
<h2>A quiénes apoyamos</h2>
<p>Preparamos a profesionales de cinco campos que cuidan a bebés, niños pequeños y sus
familias:</p>
<ul>
<li><p>profesionales clínicos de salud conductual</p></li>
<li><p>pediatras y demás personal de atención primaria pediátrica</p></li>
<li><p>acompañantes familiares (family partners)</p></li>
<li><p>visitadores domiciliarios</p></li>
<li><p>profesionales de educación y cuidado en la primera infancia</p></li>
</ul>
<h2>Cómo trabajamos</h2>
<p>Trabajamos en estrecha colaboración con nuestros socios estatales en Massachusetts. Creamos
acceso equitativo a la {REGISTERED_PRACTICE_ES}, a la vez que ampliamos la capacidad de la
fuerza laboral.</p>
""",
    },
    "the-need": {
        "title": "La necesidad",
        "summary": "Los bebés y los niños pequeños prosperan en relaciones seguras y afectuosas. "
        "Las familias necesitan una fuerza laboral sólida, diversa y bien preparada que las apoye.",
        "body": """
<p>La alianza desempeña un papel destacado en la preparación de profesionales de IECMH, en
estrecha colaboración con socios estatales de Massachusetts, para establecer, fortalecer y
ampliar una fuerza laboral diversa en salud mental infantil y de la primera infancia.</p>
<p>Los primeros años marcan toda una vida. La salud relacional temprana, el bienestar y el
desarrollo pleno de los niños más pequeños y de sus familias, y la reducción del impacto de las
experiencias adversas en la infancia (ACE, por sus siglas en inglés) dependen de las personas
que trabajan con las familias cada día.</p>
<h2>Equidad y acceso</h2>
<p>Todos los niños y niñas de Massachusetts deberían poder recibir apoyos y servicios de salud
mental infantil y de la primera infancia, sean quienes sean y vivan donde vivan. Para lograrlo
hace falta una fuerza laboral que refleje a las familias a las que sirve.</p>
<h2>Una fuerza laboral sólida e interdisciplinaria</h2>
<p>Los profesionales clínicos, los equipos pediátricos, los acompañantes familiares, los
visitadores domiciliarios y los educadores de la primera infancia ven a las
familias en distintos momentos. Cuando comparten la misma formación y un lenguaje común, las
familias reciben un apoyo coherente y centrado en las relaciones.</p>
""",
    },
    "the-efforts": {
        "title": "Nuestras iniciativas",
        "summary": "Tres líneas de trabajo: formación, políticas públicas e incidencia, y "
        "fortalecimiento de sistemas.",
        "body": """
<p>Nuestro trabajo avanza en tres líneas que se refuerzan entre sí. La formación desarrolla
las habilidades de quienes trabajan en el campo; las políticas públicas y la incidencia
aseguran las condiciones que necesitan; y el fortalecimiento de sistemas hace que los avances
perduren.</p>
""",
    },
    "the-efforts/training": {
        "title": "Formación",
        "summary": "Desarrollo profesional en todo el estado para los cinco campos, y vías para "
        "obtener la credencial IECMH Endorsement®.",
        "body": f"""
<p>Ofrecemos capacitaciones de desarrollo profesional en todo el estado para profesionales
clínicos de salud conductual, equipos pediátricos, acompañantes familiares, visitadores
domiciliarios y profesionales de educación y cuidado en la primera infancia.</p>
<h2>La IECMH Endorsement®</h2>
<p>Apoyamos las vías para obtener la {ENDORSEMENT_ES}. Para mantenerla se requieren horas
anuales de formación y horas de supervisión reflexiva, y nuestras capacitaciones y grupos de
consulta reflexiva ayudan a los profesionales a cumplirlas.</p>
<p>Lea <a href="/es/the-efforts/training/iecmh-endorsement/">cómo funciona la IECMH
Endorsement®</a> y consulte las próximas sesiones en la página de <a
href="/es/professional-development/">desarrollo profesional</a>.</p>
""",
    },
    "the-efforts/training/iecmh-endorsement": {
        "title": "La IECMH Endorsement®",
        "summary": "La IECMH Endorsement® es una credencial para profesionales que trabajan con "
        "bebés, niños pequeños y sus familias. En Massachusetts se obtiene a través de MassAIMH.",
        "body": f"""
<p>La {ENDORSEMENT_ES} reconoce los conocimientos y la experiencia de los profesionales que
trabajan con bebés, niños pequeños y sus familias, cualquiera que sea su disciplina.</p>
<h2>Cómo obtenerla en Massachusetts</h2>
<p>La Asociación de Massachusetts para la Salud Mental Infantil (MassAIMH) es el miembro de
Massachusetts de la Alliance for the Advancement of Infant Mental Health (Alianza para el Avance
de la Salud Mental Infantil). Los profesionales de Massachusetts solicitan la IECMH
Endorsement® a través de MassAIMH.</p>
<h2>Cómo mantenerla</h2>
<p>Para mantener la credencial se requieren horas anuales de formación y horas de supervisión
reflexiva. Las capacitaciones y los grupos de consulta reflexiva de MSPCC y MassAIMH ayudan a
los profesionales a cumplirlas.</p>
<p><a href="https://www.massaimh.org/">Infórmese sobre la IECMH Endorsement® y presente su
solicitud en MassAIMH</a>.</p>
""",
    },
    "the-efforts/policy-and-advocacy": {
        "title": "Políticas públicas e incidencia",
        "summary": "Incidencia a favor de las políticas y la infraestructura que necesita una "
        "fuerza laboral sólida en IECMH.",
        "body": """
<p>Participamos en reuniones bimestrales de incidencia con la Children's Mental Health
Campaign (una campaña por la salud mental infantil) y usamos la evidencia sobre la fuerza
laboral para impulsar mejores capacitaciones e infraestructura.</p>
<p>Nuestro informe sobre la fuerza laboral, <a href="/es/reports/"><em lang="en">A Mapping of
Workforce Assets and Needs: Massachusetts IECMH</em></a> (un mapeo de los recursos y las
necesidades de la fuerza laboral de IECMH en Massachusetts), es una base para este
trabajo.</p>
""",
    },
    "the-efforts/systems-building": {
        "title": "Fortalecimiento de sistemas",
        "summary": "Construimos las estructuras que mantienen al alcance de las familias el apoyo "
        "en salud mental infantil y de la primera infancia en todo Massachusetts.",
        "body": """
<p>La formación y la incidencia perduran cuando cambian los sistemas que las rodean.
Trabajamos con socios estatales para que la práctica de IECMH forme parte de los lugares a los
que las familias ya acuden.</p>
<p>También coordinamos grupos de consulta reflexiva, que ofrecen a los profesionales un
espacio regular para reflexionar sobre su trabajo con las familias.</p>
""",
    },
    "about": {
        "title": "Acerca de la alianza",
        "summary": "Quiénes somos: una alianza entre MSPCC y MassAIMH, en marcha desde 2019.",
        "body": """
<p>Este sitio web está a cargo de una alianza entre la Sociedad de Massachusetts para la
Prevención de la Crueldad contra los Niños (Massachusetts Society for the Prevention of Cruelty
to Children, MSPCC) y la Asociación de Massachusetts para la Salud Mental Infantil
(Massachusetts Association for Infant Mental Health, MassAIMH), en marcha desde 2019.</p>
<p>Obtenga más información en los sitios web de cada organización:
<a href="https://www.mspcc.org/">MSPCC</a> y
<a href="https://www.massaimh.org/">MassAIMH</a>.</p>
""",
    },
    "contact": {
        "title": "Contáctenos",
        "summary": "Cómo comunicarse con la alianza.",
        "body": """
<p>Escríbanos, llámenos o envíenos un correo electrónico si tiene preguntas sobre las
capacitaciones, los informes o Celebrate Babies Week. También puede comunicarse con cualquiera
de las dos organizaciones a través de su propio sitio web: <a href="https://www.mspcc.org/">MSPCC</a>
o <a href="https://www.massaimh.org/">MassAIMH</a>.</p>
<p>Para recibir nuestras noticias, <a href="/es/newsletter/">suscríbase a nuestra lista de
correo</a>.</p>
""",
    },
    "accessibility": {
        "title": "Accesibilidad",
        "summary": "Cómo hacemos que todas las personas puedan usar este sitio web, y cómo "
        "avisarnos cuando algo le cause dificultades.",
        "body": """
<p>Queremos que todas las personas puedan usar este sitio web, incluidas quienes usan un
lector de pantalla, un teclado, control por voz, ampliación de pantalla o un teléfono.</p>
<h2>Nuestro objetivo</h2>
<p>El sitio web busca cumplir las Pautas de Accesibilidad para el Contenido Web (WCAG) 2.2 en
el nivel AA. Cada página se revisa automáticamente antes de publicar cualquier cambio, y
probamos solo con el teclado las tareas principales (encontrar un informe, un evento o una
capacitación, y suscribirse a la lista de correo).</p>
<h2>Informes en PDF</h2>
<p>La página de cada informe ofrece su resumen y sus principales hallazgos como texto web.
Algunos informes más antiguos en PDF pueden ser difíciles de usar con un lector de pantalla;
cuando es así, la página del informe lo indica.</p>
<h2>Avísenos si encuentra un problema</h2>
<p>Si algo en este sitio web le resulta difícil de usar, o si necesita un informe en otro
formato, comuníquese con nosotros mediante los datos de nuestra <a href="/es/contact/">página
de contacto</a>. Procuramos responder en un plazo de cinco días hábiles.</p>
""",
    },
}

# Fields beyond the common ones, by path.
EXTRA = {
    "contact": {"show_contact_details": True},
}


# Shown as cards in the home page's featured section.
HOME_FEATURED = {
    "the-efforts/training",
    "the-efforts/policy-and-advocacy",
    "the-efforts/systems-building",
}


def _spanish(path: str) -> dict[str, str]:
    values = dict(SPANISH.get(path, {}))
    if "body" in values:
        values["body"] = " ".join(values["body"].split())
    return values


def seed(*, stdout) -> None:
    created_count = filled_count = 0
    by_path = {}
    for path, title, summary, body, in_nav, order in PAGES:
        parent_path, _, slug = path.rpartition("/")
        parent = by_path.get(parent_path)
        spanish_values = _spanish(path)
        page, created = Page.objects.get_or_create(
            path=path,
            defaults={
                "title": title,
                "slug": slug,
                "parent": parent,
                "summary": summary,
                "body": " ".join(body.split()),
                "publish_at": timezone.now(),
                "show_in_navigation": in_nav,
                "show_on_home": path in HOME_FEATURED,
                "navigation_order": order,
                "partner": Partner.BOTH,
                **EXTRA.get(path, {}),
                **spanish(spanish_values),
            },
        )
        by_path[path] = page
        created_count += created
        if not created:  # seeded before the demo had Spanish
            filled_count += spanish_fill(page, spanish_values)
        if created and path == "our-work":
            page.hero_image.save("our-work.jpg", banner_jpeg("our-work.jpg"), save=False)
            page.hero_decorative = True  # a pattern: screen readers skip it
            page_save(page=page, previous_path=page.path, hero_changed=True)
    stdout.write(f"Pages: {created_count} created, {len(PAGES) - created_count} already there.")
    if filled_count:
        stdout.write(f"Pages: Spanish added to {filled_count}.")
