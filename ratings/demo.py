"""A fictional catalogue for the demo site: invented vendors and products, never real companies."""

from decimal import Decimal

from .models import Category, Product, Vendor
from .services import create_product, get_or_create_category, get_or_create_vendor

# slug, French name and description, English name and description
CATEGORIES = [
    ("logiciel-metier", "Logiciels métier", "Dossier patient, facturation, SESAM-Vitale.",
     "Practice-management software", "Patient records, billing, SESAM-Vitale."),
    ("agenda-en-ligne", "Prise de rendez-vous en ligne", "Agenda numérique et réservation par les patients.",
     "Online appointment booking", "Digital diary and booking by patients."),
    ("teleconsultation", "Téléconsultation", "Consultations vidéo avec les patients.",
     "Teleconsultation", "Video consultations with patients."),
    ("teleconseil", "Téléconseil médical", "Conseil écrit ou téléphonique payant.",
     "Medical tele-advice", "Paid written or telephone advice."),
    ("messagerie-securisee", "Messagerie sécurisée", "Échanges MSSanté entre professionnels.",
     "Secure messaging", "MSSanté exchanges between professionals."),
    ("e-prescription", "Prescription électronique", "Ordonnances numériques et suivi de délivrance.",
     "E-prescription", "Digital prescriptions and dispensing follow-up."),
    ("telesurveillance", "Télésurveillance", "Suivi à distance des patients chroniques (tension, glycémie).",
     "Remote monitoring", "Remote follow-up of chronic patients (blood pressure, glycaemia)."),
]  # fmt: skip

# slug, name, e-mail domain, description
VENDORS = [
    ("medilogix", "Medilogix", "medilogix.example", "Éditeur lyonnais de logiciels de cabinet depuis 1998."),
    ("cabinetis", "Cabinetis", "cabinetis.example", "Suite logicielle pour cabinets de groupe."),
    ("praxisoft", "Praxisoft", "praxisoft.example", "Logiciels pour spécialistes libéraux."),
    ("agendoc", "Agendoc", "agendoc.example", "Agenda médical en ligne."),
    ("rdv-sante", "RDV Santé Direct", "rdvsante.example", "Plateforme de réservation multi-praticiens."),
    ("visiomed-plus", "VisioSoin", "visiosoin.example", "Téléconsultation vidéo pour cabinets."),
    (
        "allo-docteur-24",
        "Allô Conseil 24",
        "alloconseil24.example",
        "Conseil médical par téléphone et messagerie.",
    ),
    ("medichat", "MédiChat", "medichat.example", "Conseil médical écrit en ligne."),
    ("securimed", "SécuriMed", "securimed.example", "Messagerie de santé sécurisée."),
    ("ordonum", "OrdoNum", "ordonum.example", "Ordonnance numérique et officines."),
    ("suivi-chronos", "Chronos Suivi", "chronossuivi.example", "Télésurveillance des maladies chroniques."),
    ("hexa-sante", "Hexa Santé Logiciels", "hexasante.example", "Éditeur généraliste d'outils de santé."),
]


# slug, name, vendor, category, attributes
PRODUCTS = [
    (
        "medilogix-cabinet",
        "Medilogix Cabinet",
        "medilogix",
        "logiciel-metier",
        dict(
            pricing_model="subscription",
            price=Decimal("89.00"),
            billing_unit="month",
            certified_hds=True,
            certified_segur=True,
            hosted_in_eu=True,
            interop_dmp=True,
            interop_mssante=True,
            interop_standard_export=True,
        ),
    ),
    (
        "medilogix-express",
        "Medilogix Express",
        "medilogix",
        "logiciel-metier",
        dict(
            pricing_model="subscription",
            price=Decimal("49.00"),
            billing_unit="month",
            certified_hds=True,
            hosted_in_eu=True,
            interop_dmp=True,
        ),
    ),
    (
        "cabinetis-one",
        "Cabinetis One",
        "cabinetis",
        "logiciel-metier",
        dict(
            pricing_model="licence",
            price=Decimal("1200.00"),
            billing_unit="year",
            certified_segur=True,
            hosted_in_eu=True,
            interop_mssante=True,
            interop_standard_export=True,
        ),
    ),
    (
        "praxisoft-spe",
        "Praxisoft Spé",
        "praxisoft",
        "logiciel-metier",
        dict(
            pricing_model="subscription",
            price=Decimal("119.00"),
            billing_unit="month",
            specialties_count=14,
            certified_hds=True,
            certified_segur=True,
            hosted_in_eu=True,
            interop_dmp=True,
        ),
    ),
    (
        "hexa-dossier",
        "Hexa Dossier",
        "hexa-sante",
        "logiciel-metier",
        dict(pricing_model="subscription", price=Decimal("65.00"), billing_unit="month", hosted_in_eu=True),
    ),
    (
        "agendoc-pro",
        "Agendoc Pro",
        "agendoc",
        "agenda-en-ligne",
        dict(
            pricing_model="subscription",
            price=Decimal("129.00"),
            billing_unit="month",
            certified_hds=True,
            hosted_in_eu=True,
        ),
    ),
    (
        "agendoc-lite",
        "Agendoc Lite",
        "agendoc",
        "agenda-en-ligne",
        dict(pricing_model="subscription", price=Decimal("39.00"), billing_unit="month", hosted_in_eu=True),
    ),
    (
        "rdv-sante-direct",
        "RDV Santé Direct",
        "rdv-sante",
        "agenda-en-ligne",
        dict(pricing_model="subscription", price=Decimal("99.00"), billing_unit="month", certified_hds=True),
    ),
    (
        "cabinetis-agenda",
        "Cabinetis Agenda",
        "cabinetis",
        "agenda-en-ligne",
        dict(
            pricing_model="subscription",
            price=Decimal("29.00"),
            billing_unit="month",
            hosted_in_eu=True,
            interop_standard_export=True,
        ),
    ),
    (
        "visiosoin",
        "VisioSoin",
        "visiomed-plus",
        "teleconsultation",
        dict(
            pricing_model="per_consultation",
            price=Decimal("2.50"),
            billing_unit="consultation",
            channel_video=True,
            certified_hds=True,
            approved_teleconsultation=True,
            hosted_in_eu=True,
        ),
    ),
    (
        "visiosoin-247",
        "VisioSoin 24/7",
        "visiomed-plus",
        "teleconsultation",
        dict(
            pricing_model="subscription",
            price=Decimal("11.90"),
            billing_unit="month",
            channel_video=True,
            available_24_7=True,
            specialties_count=8,
            approved_teleconsultation=True,
            certified_hds=True,
        ),
    ),
    (
        "agendoc-video",
        "Agendoc Vidéo",
        "agendoc",
        "teleconsultation",
        dict(
            pricing_model="subscription",
            price=Decimal("59.00"),
            billing_unit="month",
            channel_video=True,
            certified_hds=True,
            hosted_in_eu=True,
        ),
    ),
    (
        "hexa-teleconsult",
        "Hexa Téléconsult",
        "hexa-sante",
        "teleconsultation",
        dict(
            pricing_model="per_consultation",
            price=Decimal("3.00"),
            billing_unit="consultation",
            channel_video=True,
            channel_phone=True,
        ),
    ),
    (
        "allo-conseil-24",
        "Allô Conseil 24",
        "allo-docteur-24",
        "teleconseil",
        dict(
            pricing_model="per_minute",
            price=Decimal("2.50"),
            billing_unit="minute",
            channel_phone=True,
            available_24_7=True,
            practitioners_registered=True,
        ),
    ),
    (
        "allo-conseil-express",
        "Allô Conseil Express",
        "allo-docteur-24",
        "teleconseil",
        dict(
            pricing_model="per_question",
            price=Decimal("4.99"),
            billing_unit="question",
            channel_messaging=True,
            guaranteed_response_minutes=15,
            practitioners_registered=True,
        ),
    ),
    (
        "medichat-question",
        "MédiChat Question",
        "medichat",
        "teleconseil",
        dict(
            pricing_model="per_question",
            price=Decimal("2.99"),
            billing_unit="question",
            channel_messaging=True,
            guaranteed_response_minutes=2880,
            specialties_count=20,
            practitioners_registered=True,
        ),
    ),
    (
        "medichat-live",
        "MédiChat Live",
        "medichat",
        "teleconseil",
        dict(pricing_model="per_minute", price=Decimal("1.99"), billing_unit="minute", channel_chat=True),
    ),
    (
        "medichat-libre",
        "MédiChat Libre",
        "medichat",
        "teleconseil",
        dict(pricing_model="free", channel_messaging=True),
    ),
    (
        "securimed-messagerie",
        "SécuriMed Messagerie",
        "securimed",
        "messagerie-securisee",
        dict(
            pricing_model="subscription",
            price=Decimal("9.00"),
            billing_unit="month",
            channel_messaging=True,
            certified_hds=True,
            hosted_in_eu=True,
            interop_mssante=True,
        ),
    ),
    (
        "cabinetis-mail",
        "Cabinetis Mail Santé",
        "cabinetis",
        "messagerie-securisee",
        dict(
            pricing_model="subscription",
            price=Decimal("6.00"),
            billing_unit="month",
            channel_messaging=True,
            interop_mssante=True,
            hosted_in_eu=True,
        ),
    ),
    (
        "medilogix-messagerie",
        "Medilogix Messagerie",
        "medilogix",
        "messagerie-securisee",
        dict(pricing_model="free", channel_messaging=True, interop_mssante=True, hosted_in_eu=True),
    ),
    (
        "ordonum",
        "OrdoNum",
        "ordonum",
        "e-prescription",
        dict(
            pricing_model="subscription",
            price=Decimal("15.00"),
            billing_unit="month",
            certified_segur=True,
            hosted_in_eu=True,
            interop_dmp=True,
        ),
    ),
    (
        "praxisoft-ordo",
        "Praxisoft Ordo",
        "praxisoft",
        "e-prescription",
        dict(
            pricing_model="subscription", price=Decimal("12.00"), billing_unit="month", certified_segur=True
        ),
    ),
    (
        "chronos-tension",
        "Chronos Tension",
        "suivi-chronos",
        "telesurveillance",
        dict(
            pricing_model="subscription",
            price=Decimal("25.00"),
            billing_unit="month",
            certified_hds=True,
            hosted_in_eu=True,
        ),
    ),
    (
        "chronos-glyco",
        "Chronos Glyco",
        "suivi-chronos",
        "telesurveillance",
        dict(
            pricing_model="subscription",
            price=Decimal("25.00"),
            billing_unit="month",
            certified_hds=True,
            hosted_in_eu=True,
            interop_dmp=True,
        ),
    ),
    (
        "hexa-suivi",
        "Hexa Suivi",
        "hexa-sante",
        "telesurveillance",
        dict(pricing_model="subscription", price=Decimal("19.00"), billing_unit="month"),
    ),
]


def seed_catalogue():
    """Create the demo catalogue when missing; return the number of products created."""
    for order, (slug, name, description, name_en, description_en) in enumerate(CATEGORIES):
        category = get_or_create_category(slug=slug, name=name)
        if not category.description_fr:
            Category.objects.filter(pk=category.pk).update(
                name_fr=name, description_fr=description, name_en=name_en, description_en=description_en,
                sort_order=order,
            )  # fmt: skip
    for slug, name, domain, description in VENDORS:
        get_or_create_vendor(
            slug=slug, name=name, email_domains=domain, description=description, website=f"https://{domain}/"
        )
    vendors = Vendor.objects.in_bulk(field_name="slug")
    categories = Category.objects.in_bulk(field_name="slug")
    existing = set(Product.objects.values_list("slug", flat=True))
    created = 0
    for slug, name, vendor, category, attributes in PRODUCTS:
        if slug in existing:
            continue
        create_product(
            slug=slug,
            name=name,
            vendor=vendors[vendor],
            category=categories[category],
            description=f"{name} — {categories[category].description}",
            website=f"https://{vendors[vendor].email_domain_list[0]}/{slug}",
            **attributes,
        )
        created += 1
    return created
