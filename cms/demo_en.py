"""The demo pages' English translations (the French originals are in cms/demo.py)."""

from .demo import paragraph
from .models import (
    ArticleIndexPage,
    ArticlePage,
    ExpertReviewPage,
    HomePage,
    MethodologyPage,
    ReviewIndexPage,
)
from .translations import publish_translation

LANGUAGE = "en"

HOME = {
    "title": "Independent observatory of medical software",
    "introduction": (
        "Self-employed doctors rate the digital tools they use, facet by facet; our experts test them; we "
        "publish honest scores, with their margin of uncertainty."
    ),
    "body": paragraph(
        "An association of doctors' unions, independent of the vendors: no vendor pays to be rated, and no "
        "score is negotiated."
    ),
}

ARTICLE_INDEX = {"title": "Articles", "introduction": "Surveys, analyses and news."}
REVIEW_INDEX = {
    "title": "Expert reviews",
    "introduction": "Our experts test each tool following a published protocol.",
}
METHODOLOGY = {
    "title": "Our method",
    "introduction": "Anyone can recompute every published score from our export and the rules below.",
    "body": paragraph(
        "Only verified doctors count; each answer is reweighted to represent the population of self-employed "
        "doctors; the 95% interval says how much uncertainty remains."
    ),
}

# French slug: (title, summary, text)
ARTICLES = {
    "teleconseil-payant-ce-qu-il-faut-savoir": (
        "Paid tele-advice: what you need to know",
        "By the minute on the phone, per question or by subscription: medical advice offers are multiplying. "
        "We compared their models.",
        "Between €1.99 a minute of written chat and €4.99 for an answer guaranteed within fifteen minutes, remote "
        "medical advice has found its customers. It remains to be seen who answers, with what insurance, and "
        "what becomes of the data.",
    ),
    "agendas-en-ligne-independance": (
        "Online diaries: who owns your slots?",
        'The "independence and ethics" facet measures what doctors think of how the care pathway is respected.',
        "Doctors tell us they expect an online diary not to divert their patients and never to auction their "
        "slots. It is the subject of a facet of its own in our surveys.",
    ),
    "campagne-automne-2026": (
        "The autumn 2026 campaign is open",
        "Self-employed doctors, rate the tools you use: ten minutes are enough, and your answers stay "
        "confidential.",
        "Your RPPS number is used only to check that you are a doctor; your identity is never published. Scores "
        "are published only from five respondents on.",
    ),
}

# product slug: (title, pros, cons)
REVIEWS = {
    "medilogix-cabinet": (
        "Medilogix Cabinet: solid, but costly to use",
        "Complete functional coverage\nSmooth SESAM-Vitale billing\nRecords exported in a standard format",
        "Many paid options\nSlow support during updates",
    ),
    "visiosoin": (
        "VisioSoin: simple and well-secured teleconsultation",
        "Ready to use at once\nHDS-certified hosting",
        "No integration with the patient record\nVariable video quality in rural areas",
    ),
    "allo-conseil-24": (
        "Allô Conseil 24: available, but at what price?",
        "Reachable day and night\nDoctors registered with the Ordre",
        "Hard-to-read per-minute pricing\nNo report sent to the patient's GP",
    ),
    "agendoc-pro": (
        "Agendoc Pro: the diary that respects the care pathway",
        "Effective SMS reminders\nNo paid promotion",
        "High subscription for a single-doctor practice",
    ),
}


def translate_demo_pages(home):
    """Publish the English translation of every demo page under the French `home`."""
    publish_translation(home, language=LANGUAGE, **HOME)
    for index in ArticleIndexPage.objects.child_of(home):
        publish_translation(index, language=LANGUAGE, **ARTICLE_INDEX)
        for article in ArticlePage.objects.child_of(index):
            if article.slug in ARTICLES:
                title, summary, text = ARTICLES[article.slug]
                publish_translation(
                    article, language=LANGUAGE, title=title, summary=summary, body=paragraph(text),
                    author="The editorial team",
                )  # fmt: skip
    for index in ReviewIndexPage.objects.child_of(home):
        publish_translation(index, language=LANGUAGE, **REVIEW_INDEX)
        for review in ExpertReviewPage.objects.child_of(index).select_related("product"):
            if review.product.slug not in REVIEWS:
                continue
            title, pros, cons = REVIEWS[review.product.slug]
            name = review.product.name

            def justify(translation, name=name):
                scores = list(translation.facet_scores.all())
                for score in scores:
                    score.justification = f"Assessed during the test of {name}."
                translation.facet_scores = scores

            publish_translation(
                review, language=LANGUAGE, title=title, pros=pros, cons=cons, edit=justify,
                summary=f"Our test of {name}, facet by facet.",
                body=paragraph(f"We used {name} for four weeks in real practice conditions."),
                verdict=f"<p>{name} deserves the attention of practices looking for a tool of this category.</p>",
            )  # fmt: skip
    for methodology in MethodologyPage.objects.child_of(home):
        publish_translation(methodology, language=LANGUAGE, **METHODOLOGY)
    return HomePage.objects.get(translation_key=home.translation_key, locale__language_code=LANGUAGE)
