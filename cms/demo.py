"""Demo pages: a published home page, articles, expert reviews and the methodology page."""

import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from ratings.models import Facet, Product

from .legal import ensure_legal_pages
from .models import (
    ArticleIndexPage,
    ArticlePage,
    ExpertReviewFacetScore,
    ExpertReviewPage,
    HomePage,
    MethodologyPage,
    ReviewIndexPage,
)
from .models.review_drafts import DEFAULT_ANSWER_DAYS
from .review_drafts import send_review_draft

ARTICLES = [
    (
        "teleconseil-payant-ce-qu-il-faut-savoir",
        "Téléconseil payant : ce qu'il faut savoir",
        datetime.date(2026, 9, 14),
        "Au téléphone à la minute, à la question ou par abonnement : les offres de conseil médical se multiplient. "
        "Nous avons comparé leurs modèles.",
        "Entre 1,99 € la minute de discussion écrite et 4,99 € la réponse garantie en quinze minutes, le conseil médical "
        "à distance a trouvé ses clients. Reste à savoir qui répond, avec quelle assurance, et ce que deviennent les données.",
    ),
    (
        "agendas-en-ligne-independance",
        "Agendas en ligne : à qui appartiennent vos créneaux ?",
        datetime.date(2026, 10, 2),
        "La facette « indépendance et éthique » mesure ce que les médecins pensent du respect du parcours de soins.",
        "Les médecins nous disent attendre d'un agenda en ligne qu'il ne détourne pas leur patientèle et ne mette jamais "
        "leurs créneaux aux enchères. C'est l'objet d'une facette à part entière de nos enquêtes.",
    ),
    (
        "campagne-automne-2026",
        "La campagne d'automne 2026 est ouverte",
        datetime.date(2026, 11, 2),
        "Médecins libéraux, notez les outils que vous utilisez : dix minutes suffisent, vos réponses restent confidentielles.",
        "Seul votre numéro RPPS sert à vérifier que vous êtes médecin ; votre identité n'est jamais publiée. Les notes "
        "ne sont publiées qu'à partir de cinq répondants.",
    ),
]

REVIEWS = [
    (
        "medilogix-cabinet",
        "Medilogix Cabinet : solide, mais cher à l'usage",
        "Dr Claire Fontanel (expert fictif)",
        datetime.date(2026, 6, 20),
        {
            "ease_of_use": 4,
            "reliability": 4,
            "features": 5,
            "support": 3,
            "value_for_money": 3,
            "interoperability": 4,
            "data_protection": 4,
            "independence": 5,
        },
        "Couverture fonctionnelle complète\nFacturation SESAM-Vitale sans accroc\nExport des dossiers au format standard",
        "Options payantes nombreuses\nSupport lent en période de mise à jour",
    ),
    (
        "visiosoin",
        "VisioSoin : une téléconsultation simple et bien sécurisée",
        "Dr Karim Lesage (expert fictif)",
        datetime.date(2026, 7, 8),
        {
            "ease_of_use": 5,
            "reliability": 4,
            "features": 3,
            "support": 4,
            "value_for_money": 4,
            "interoperability": 3,
            "data_protection": 5,
            "independence": 4,
        },
        "Prise en main immédiate\nHébergement certifié HDS",
        "Pas d'intégration au dossier patient\nQualité vidéo variable en zone rurale",
    ),
    (
        "allo-conseil-24",
        "Allô Conseil 24 : disponible, mais à quel prix ?",
        "Dr Hélène Marchetti (experte fictive)",
        datetime.date(2026, 8, 30),
        {
            "ease_of_use": 4,
            "reliability": 3,
            "features": 3,
            "support": 3,
            "value_for_money": 2,
            "interoperability": 2,
            "data_protection": 3,
            "independence": 3,
        },
        "Joignable jour et nuit\nMédecins inscrits à l'Ordre",
        "Tarif à la minute peu lisible\nAucun compte rendu transmis au médecin traitant",
    ),
    (
        "agendoc-pro",
        "Agendoc Pro : l'agenda qui respecte le parcours de soins",
        "Dr Claire Fontanel (expert fictif)",
        datetime.date(2026, 9, 12),
        {
            "ease_of_use": 4,
            "reliability": 5,
            "features": 4,
            "support": 4,
            "value_for_money": 3,
            "interoperability": 3,
            "data_protection": 4,
            "independence": 5,
        },
        "Rappels SMS efficaces\nAucune mise en avant payante",
        "Abonnement élevé pour un cabinet seul",
    ),
]


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


@transaction.atomic
def seed_pages():
    """Create and publish the demo pages when the site has no home page yet; return True if created."""
    if HomePage.objects.exists():
        return False
    root = Page.get_first_root_node()
    home = HomePage(
        title="Observatoire indépendant des logiciels médicaux",
        slug="accueil",
        introduction=(
            "Les médecins libéraux notent les outils numériques qu'ils utilisent, facette par facette ; nos experts les "
            "testent ; nous publions des notes honnêtes, avec leur marge d'incertitude."
        ),
        body=paragraph(
            "Une association de syndicats de médecins, indépendante des éditeurs : aucun éditeur ne paie pour être noté, "
            "et aucune note ne se négocie."
        ),
    )
    root.add_child(instance=home)
    home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Observatoire"
        )
    else:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if old_root.depth == 2 and old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()

    articles = ArticleIndexPage(
        title="Articles", slug="articles", introduction="Enquêtes, analyses et actualités."
    )
    home.add_child(instance=articles)
    articles.save_revision().publish()
    for slug, title, date, summary, text in ARTICLES:
        article = ArticlePage(
            title=title, slug=slug, date=date, summary=summary, body=paragraph(text), author="La rédaction"
        )
        articles.add_child(instance=article)
        article.save_revision().publish()

    reviews = ReviewIndexPage(
        title="Tests d'experts",
        slug="tests",
        introduction="Nos experts testent chaque outil selon un protocole publié.",
    )
    home.add_child(instance=reviews)
    reviews.save_revision().publish()
    facets = Facet.objects.in_bulk(field_name="slug")
    for product_slug, title, reviewer, test_date, scores, pros, cons in REVIEWS:
        product = Product.objects.get(slug=product_slug)
        review = ExpertReviewPage(
            title=title,
            slug=product_slug,
            product=product,
            reviewer=reviewer,
            test_date=test_date,
            summary=f"Notre test de {product.name}, facette par facette.",
            body=paragraph(
                f"Nous avons utilisé {product.name} pendant quatre semaines en conditions réelles de cabinet."
            ),
            pros=pros,
            cons=cons,
            verdict=f"<p>{product.name} mérite l'attention des cabinets qui cherchent un outil de cette catégorie.</p>",
            live=False,
        )
        review.facet_scores = [
            ExpertReviewFacetScore(
                facet=facets[slug], score=score, justification=f"Évalué lors du test de {product.name}."
            )
            for slug, score in scores.items()
        ]
        reviews.add_child(instance=review)
        revision = review.save_revision()
        # Every review goes to its vendor before publication (NF X50-005): the demo ones were sent
        # long enough ago for the deadline to have passed without an answer.
        send_review_draft(
            page=review, user=None, now=timezone.now() - datetime.timedelta(days=DEFAULT_ANSWER_DAYS + 5)
        )
        revision.publish()

    methodology = MethodologyPage(
        title="Notre méthode",
        slug="methode",
        introduction=(
            "Chaque note publiée peut être recalculée par quiconque à partir de notre export et des règles ci-dessous."
        ),
        body=paragraph(
            "Seuls les médecins vérifiés comptent ; chaque réponse est repondérée pour représenter la population des "
            "médecins libéraux ; l'intervalle à 95 % dit l'incertitude qui reste."
        ),
    )
    home.add_child(instance=methodology)
    methodology.save_revision().publish()
    from .demo_en import translate_demo_pages  # it builds on this module's pages and helpers

    translate_demo_pages(home)
    ensure_legal_pages()
    return True
