"""The eight facets of DOMAIN.md and methodology v1 of METHODOLOGY.md, so a new database can score."""

from django.db import migrations

FACETS = [
    ("ease_of_use", "Facilité d'utilisation", "L'outil est-il simple à prendre en main au quotidien ?",
     "Ergonomie, temps perdu, courbe d'apprentissage."),
    ("reliability", "Fiabilité", "L'outil fonctionne-t-il sans pannes ni lenteurs ?", "Pannes, bugs, rapidité."),
    ("features", "Fonctionnalités", "Couvre-t-il les besoins de votre exercice ?", "Couverture des besoins du cabinet."),
    ("support", "Assistance", "L'éditeur vous accompagne-t-il bien ?", "Réactivité, formation, mises à jour."),
    ("value_for_money", "Rapport qualité-prix", "Le prix est-il justifié par le service rendu ?",
     "Prix au regard du service, coûts cachés."),
    ("interoperability", "Interopérabilité", "Échange-t-il bien avec vos autres outils ?",
     "Imports/exports, DMP, MSSanté, laboratoires, autres logiciels."),
    ("data_protection", "Protection des données", "Vos données et celles de vos patients sont-elles protégées ?",
     "Confidentialité, hébergement, RGPD, propriété des données."),
    ("independence", "Indépendance et éthique", "L'outil respecte-t-il le parcours de soins et la déontologie ?",
     "Pas de détournement de patientèle, pas d'enchères sur les créneaux, pas d'usage commercial des données."),
]

STRATA = [
    ("practice_group", "gp", "Médecins généralistes libéraux", 60_900),
    ("practice_group", "specialist", "Médecins spécialistes libéraux", 55_200),
]


def forwards(apps, schema_editor):
    Facet = apps.get_model("ratings", "Facet")
    Methodology = apps.get_model("ratings", "Methodology")
    FacetWeight = apps.get_model("ratings", "FacetWeight")
    PopulationStratum = apps.get_model("ratings", "PopulationStratum")

    facets = []
    for order, (slug, name, question, description) in enumerate(FACETS):
        facet, _ = Facet.objects.update_or_create(
            slug=slug, defaults={"name": name, "question": question, "description": description, "sort_order": order}
        )
        facets.append(facet)
    methodology, created = Methodology.objects.get_or_create(
        version=1, defaults={"notes": "Méthodologie initiale (METHODOLOGY.md v1) : pondérations égales."}
    )
    if created:
        FacetWeight.objects.bulk_create(
            FacetWeight(methodology=methodology, category=None, facet=f, weight=1) for f in facets
        )
        PopulationStratum.objects.bulk_create(
            PopulationStratum(methodology=methodology, dimension=d, code=c, label=label, size=size)
            for d, c, label, size in STRATA
        )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
