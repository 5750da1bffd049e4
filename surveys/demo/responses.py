"""Demo responses: answers drawn from a quality profile per product, comments in every moderation state
with their moderation history, and one response by a doctor who declared a link with the vendor."""

import datetime
import random
from decimal import Decimal

from ratings.models import FACET_SLUGS, Product
from surveys.models import ConflictOfInterest, Doctor, ModerationEvent, Response, Specialty
from surveys.services.moderation import RejectionReason, rejection_text

from .campaigns import OPEN_CAMPAIGN_ANSWERED_UNTIL
from .doctors import DEMO_DOCTOR_RPPS, DEMO_RPPS_PREFIX, SAMPLE_RPPS_PREFIX, demo_rpps

# Product: (respondents, base quality on 1–5, GP minus specialist, {facet: offset}). Three thin products
# show the statuses "insufficient" (3), "limited" (8, 15); the others are "ok".
PRODUCT_PROFILES = {
    "medilogix-cabinet": (520, 3.9, 0.3, {"support": -0.8, "value_for_money": -0.6, "features": 0.5}),
    "medilogix-express": (310, 3.5, 0.4, {"features": -0.6, "value_for_money": 0.4}),
    "cabinetis-one": (280, 3.3, 0.0, {"interoperability": 0.5, "ease_of_use": -0.5}),
    "praxisoft-spe": (240, 3.7, -0.9, {"features": 0.4, "support": 0.2}),
    "hexa-dossier": (15, 2.9, 0.0, {"reliability": -0.6}),
    "agendoc-pro": (600, 3.8, 0.1, {"independence": -1.3, "data_protection": -0.5, "ease_of_use": 0.6}),
    "agendoc-lite": (140, 3.4, 0.2, {"independence": -1.1, "features": -0.5}),
    "rdv-sante-direct": (260, 3.2, 0.0, {"independence": -0.7, "support": -0.4}),
    "cabinetis-agenda": (70, 3.3, 0.1, {"ease_of_use": -0.3}),
    "visiosoin": (330, 4.0, 0.2, {"data_protection": 0.6, "features": -0.4}),
    "visiosoin-247": (95, 3.6, 0.0, {"value_for_money": -0.6}),
    "agendoc-video": (160, 3.5, 0.2, {"independence": -0.8, "reliability": -0.3}),
    "hexa-teleconsult": (45, 3.0, 0.0, {"reliability": -0.7}),
    "allo-conseil-24": (120, 2.7, -0.2, {"independence": -0.9, "value_for_money": -0.8}),
    "allo-conseil-express": (60, 2.9, 0.0, {"value_for_money": -1.0}),
    "medichat-question": (55, 3.2, 0.0, {"support": -0.4}),
    "medichat-live": (40, 3.0, 0.0, {"data_protection": -0.6}),
    "medichat-libre": (8, 3.1, 0.0, {}),
    "securimed-messagerie": (230, 3.9, 0.0, {"interoperability": 0.6, "ease_of_use": -0.3}),
    "cabinetis-mail": (85, 3.5, 0.0, {"interoperability": 0.4}),
    "medilogix-messagerie": (120, 3.7, 0.2, {"ease_of_use": 0.3}),
    "ordonum": (190, 3.6, 0.3, {"reliability": 0.3}),
    "praxisoft-ordo": (65, 3.4, -0.6, {"features": 0.3}),
    "chronos-tension": (90, 3.4, -0.1, {"support": 0.3}),
    "chronos-glyco": (110, 3.5, -0.3, {"interoperability": 0.4}),
    "hexa-suivi": (3, 2.8, 0.0, {}),
}
DEFAULT_PROFILE = (60, 3.4, 0.0, {})  # a product added to the demo catalogue later
NOT_APPLICABLE = {"interoperability": 0.15, "support": 0.10, "independence": 0.06}
COMMENT_SHARE = 0.15

COMMENTS = {
    "good": [
        "Outil fiable au quotidien, je ne reviendrais pas en arrière.",
        "Prise en main rapide, mes secrétaires l'ont adopté en une semaine.",
        "Très bon rapport qualité-prix, le support répond dans la journée.",
        "Les mises à jour sont bien annoncées et n'interrompent pas les consultations.",
        "L'export des dossiers au format standard m'a rassuré sur la réversibilité.",
    ],
    "mixed": [
        "Correct dans l'ensemble, mais des lenteurs le lundi matin.",
        "Fonctionnel, mais les options payantes s'accumulent.",
        "Bien pour l'agenda, moins pour la facturation.",
        "Le support est aimable mais met plusieurs jours à résoudre un problème.",
        "Interface datée, mais stable ; il faut s'y habituer.",
    ],
    "bad": [
        "Pannes répétées en pleine consultation, c'est inacceptable.",
        "Impossible de récupérer mes données quand j'ai voulu changer de logiciel.",
        "Des patients m'ont été proposés des créneaux chez un confrère sans mon accord.",
        "Tarif en hausse de 30 % sans amélioration visible.",
        "Aucune interopérabilité avec le DMP malgré les promesses commerciales.",
    ],
}
# Comments refused by the demo moderator, with the reason the doctor was given.
REJECTED_COMMENTS = [
    (
        "Mme D., ma patiente diabétique de la rue des Lilas, n'a jamais reçu ses alertes.",
        RejectionReason.IDENTIFIES_PATIENT,
        "Le commentaire permet d'identifier une patiente ; reformulez-le sans détail personnel.",
    ),
    (
        "Passez plutôt chez le concurrent, j'y ai un code promo : DOC2026.",
        RejectionReason.COMMERCIAL,
        "",
    ),
    (
        "Cet éditeur est une bande d'escrocs.",
        RejectionReason.INSULTING,
        "Décrivez les faits que vous avez constatés, sans qualifier les personnes.",
    ),
]


def _answers(rng, profile, doctor, doctor_bias):
    _n, quality, gp_delta, offsets = profile
    group = gp_delta / 2 if doctor.specialty == Specialty.GENERAL_PRACTICE else -gp_delta / 2
    answers = {}
    for slug in FACET_SLUGS:
        if rng.random() < NOT_APPLICABLE.get(slug, 0.03):
            answers[slug] = None
            continue
        value = quality + offsets.get(slug, 0) + group + doctor_bias + rng.gauss(0, 0.75)
        answers[slug] = min(5, max(1, round(value)))
    if all(v is None for v in answers.values()):
        answers["ease_of_use"] = min(5, max(1, round(quality)))
    given = [v for v in answers.values() if v is not None]
    mean = sum(given) / len(given)
    recommend = None if rng.random() < 0.04 else min(10, max(0, round((mean - 1) * 2.5 + rng.gauss(0, 1.3))))
    return answers, recommend, mean


# What a doctor pays a month, excluding VAT, by category: a typical price (each product within ±40 % of it).
TYPICAL_PRICE = {
    "logiciel-metier": 120,
    "agenda-en-ligne": 90,
    "teleconsultation": 45,
    "teleconseil": 35,
    "messagerie-securisee": 15,
    "e-prescription": 25,
    "telesurveillance": 60,
}
# Seed of the answers on practice, price, contract and switching: drawn apart from the rest, so that adding
# them left every other demo answer as it was.
SITUATION_SEED = 1015


def _situation(rng, product, mean, list_price, same_category):
    """Plausible, invented answers on the doctor's practice, the price, the contract and switching."""
    situation = {}
    if rng.random() < 0.6:
        situation["practice_setting"] = rng.choices(Response.PracticeSetting.values, weights=[45, 40, 15])[0]
    if rng.random() < 0.55:
        price = list_price * rng.lognormvariate(0, 0.15)
        situation["price_paid"] = Decimal(round(price * 2) / 2).quantize(Decimal("0.01"))
    unhappy = mean < 2.6
    if rng.random() < 0.6:
        situation["price_increased"] = rng.random() < (0.5 if unhappy else 0.3)
    if rng.random() < 0.5:
        situation["commitment_months"] = rng.choice([0, 0, 12, 12, 12, 24, 36, 48])
    if rng.random() < 0.6:
        situation["considering_switch"] = rng.random() < (0.6 if unhappy else 0.3 if mean < 3.8 else 0.08)
    if rng.random() < 0.2:
        others = [p for p in same_category if p.pk != product.pk]
        if others and rng.random() < 0.8:
            situation["previous_product"] = rng.choice(others)
        else:
            situation["previous_product_other"] = rng.choice(
                ["Ancien logiciel du cabinet", "Tableur", "Papier"]
            )
    return situation


def _submitted_at(rng, campaign):
    start = datetime.datetime.combine(campaign.opens_on, datetime.time(7), tzinfo=datetime.UTC)
    last_day = min(campaign.closes_on, OPEN_CAMPAIGN_ANSWERED_UNTIL)
    span = (last_day - campaign.opens_on).days * 86_400 + 13 * 3_600
    return start + datetime.timedelta(seconds=rng.randrange(span))


def seed_responses(rng, campaigns, moderator, now):
    """Create the responses, comments and moderation history; return the number of responses."""
    spring, autumn = campaigns["printemps-2026"], campaigns["automne-2026"]
    if Response.objects.filter(
        campaign__in=[spring, autumn], doctor__rpps__startswith=DEMO_RPPS_PREFIX
    ).exists():
        return 0
    doctors = list(Doctor.objects.filter(rpps__startswith=DEMO_RPPS_PREFIX).order_by("rpps"))
    sample_doctors = list(
        Doctor.objects.filter(rpps__startswith=SAMPLE_RPPS_PREFIX)
        .exclude(rpps=DEMO_DOCTOR_RPPS)
        .order_by("rpps")
    )
    raters = doctors + sample_doctors
    bias = {d.pk: rng.gauss(0, 0.35) for d in raters}
    responses = []
    situation_rng = random.Random(SITUATION_SEED)
    products = list(Product.objects.select_related("category").order_by("slug"))
    by_category = {}
    for product in products:
        by_category.setdefault(product.category_id, []).append(product)
    list_prices = {
        p.pk: TYPICAL_PRICE.get(p.category.slug, 50) * situation_rng.uniform(0.6, 1.4) for p in products
    }
    for product in products:
        profile = PRODUCT_PROFILES.get(product.slug, DEFAULT_PROFILE)
        n = profile[0]
        # Thin products are rated in one campaign only, so their respondents are exactly n.
        n_spring = n if n < 20 else round(n * 0.55)
        for campaign, count in ((spring, n_spring), (autumn, n - n_spring)):
            for doctor in rng.sample(raters, count):
                answers, recommend, mean = _answers(rng, profile, doctor, bias[doctor.pk])
                comment = ""
                if rng.random() < COMMENT_SHARE:
                    mood = "good" if mean >= 3.8 else "bad" if mean < 2.6 else "mixed"
                    comment = rng.choice(COMMENTS[mood])
                responses.append(
                    Response(
                        doctor=doctor,
                        product=product,
                        campaign=campaign,
                        status=Response.Status.SUBMITTED,
                        submitted_at=_submitted_at(rng, campaign),
                        recommend=recommend,
                        time_in_use=rng.choice(Response.TimeInUse.values),
                        comment=comment,
                        # Spring comments are all moderated; a sixth of autumn's still wait.
                        comment_status=(
                            Response.CommentStatus.NONE
                            if not comment
                            else Response.CommentStatus.PENDING
                            if campaign == autumn and rng.random() < 0.17
                            else Response.CommentStatus.APPROVED
                        ),
                        **answers,
                        **_situation(
                            situation_rng,
                            product,
                            mean,
                            list_prices[product.pk],
                            by_category[product.category_id],
                        ),
                    )
                )
    rejections = {}  # index in `responses` → (reason code, explanation)
    commented = [i for i, r in enumerate(responses) if r.campaign == spring and r.comment]
    for i, (text, code, explanation) in zip(commented, REJECTED_COMMENTS, strict=False):
        responses[i].comment = text
        responses[i].comment_status = Response.CommentStatus.REJECTED
        responses[i].comment_rejection_reason = rejection_text(code, explanation)
        rejections[i] = (code, explanation)
    Response.objects.bulk_create(responses, batch_size=1_000)

    events = []
    for i, response in enumerate(responses):
        if response.comment_status == Response.CommentStatus.APPROVED:
            events.append(
                ModerationEvent(
                    response=response,
                    action=ModerationEvent.Action.APPROVE_COMMENT,
                    actor=moderator,
                    at=response.submitted_at + datetime.timedelta(days=2),
                )
            )
        elif response.comment_status == Response.CommentStatus.REJECTED:
            code, explanation = rejections[i]
            events.append(
                ModerationEvent(
                    response=response,
                    action=ModerationEvent.Action.REJECT_COMMENT,
                    actor=moderator,
                    reason_code=code,
                    reason_text=explanation,
                    at=response.submitted_at + datetime.timedelta(days=2),
                )
            )
    ModerationEvent.objects.bulk_create(events, batch_size=1_000)
    return len(responses)


def seed_conflict_example(campaigns):
    """One invented doctor declared a link with a vendor and rated its product: a flag for the moderators."""
    doctor = Doctor.objects.filter(rpps=demo_rpps(7)).first()
    product = Product.objects.filter(slug="rdv-sante-direct").select_related("vendor").first()
    if doctor is None or product is None:
        return
    ConflictOfInterest.objects.get_or_create(
        doctor=doctor,
        vendor=product.vendor,
        defaults={"description": "Ancien consultant de l'éditeur (2023)"},
    )
    Response.objects.get_or_create(
        doctor=doctor,
        product=product,
        campaign=campaigns["automne-2026"],
        defaults={
            "status": Response.Status.SUBMITTED,
            "submitted_at": datetime.datetime(2026, 10, 20, 18, tzinfo=datetime.UTC),
            "recommend": 10,
            **dict.fromkeys(FACET_SLUGS, 5),
        },
    )
