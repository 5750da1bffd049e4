"""Demo survey data: the directory sample, ~1,500 invented doctors, two campaigns, a few thousand responses
with comments in every moderation state, and demo accounts for each role. Fixed seed; running it again
changes nothing."""

import datetime
import os
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ratings.models import FACET_SLUGS, Product, Vendor, VendorMembership
from surveys.models import (
    Campaign,
    ConflictOfInterest,
    DirectoryEntry,
    Doctor,
    ModerationEvent,
    Region,
    Response,
    Specialty,
)
from surveys.rpps import luhn_check_digit
from surveys.services.directory import (
    PRACTICE_MODE_CODES,
    import_directory,
    region_for_department,
    specialty_for_savoir_faire,
)
from surveys.services.flags import flag_imported_responses
from surveys.services.moderation import RejectionReason, rejection_text

SEED = 2026
DIRECTORY_SAMPLE = Path(__file__).resolve().parent / "fixtures" / "ps-libreacces-personne-activite-sample.txt"
N_DOCTORS = 1_500
GP_SHARE = 0.45  # below the population's 52%: the weighting has something to correct
# The directory sample's doctors have RPPS numbers starting so (the sample was generated that way).
SAMPLE_RPPS_PREFIX = "101900"
# Invented RPPS numbers of the demo doctors: "1019" (as the directory sample) then "8", a serial and the
# Luhn digit, so that they never collide with the sample's.
DEMO_RPPS_PREFIX = "10198"

DEMO_PASSWORD_FALLBACK = "demo-Observatoire-2026"
DEMO_DOCTOR_EMAIL = "docteur@demo.invalid"
DEMO_DOCTOR_RPPS = "10190010073"  # Anatole Quérel in the directory sample
DEMO_ACCOUNTS = [
    # e-mail, group, first name, last name
    (DEMO_DOCTOR_EMAIL, "doctor", "Anatole", "Quérel"),
    ("moderation@demo.invalid", "moderator", "Maud", "Relecture"),
    ("redaction@demo.invalid", "editor", "Émile", "Rédac"),
    ("analyse@demo.invalid", "analyst", "Ada", "Statistique"),
    ("editeur@demo.invalid", "vendor", "Victor", "Commercial"),
]
DEMO_VENDOR_SLUG = "agendoc"

CAMPAIGNS = [
    (
        "printemps-2026",
        "Enquête de printemps 2026",
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 30),
        "closed",
    ),
    (
        "automne-2026",
        "Enquête d'automne 2026",
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 15),
        "open",
    ),
]
# Answers of the open campaign are dated up to this day, so the demo looks the same whenever it runs.
OPEN_CAMPAIGN_ANSWERED_UNTIL = datetime.date(2026, 11, 15)

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

LAST_NAMES = (
    "Aubertin Barrault Cazenave Darrieux Esnault Faucheux Gaillot Hennequin Isnard Jaffrès Kervella Lacombe "
    "Mabillon Noblet Olivier-Dorme Paillard Quéméner Rabier Salomé Teyssier Urvoy Vasseur Wolff Yver Zeller "
    "Abadie Bernadou Chassagne Delpech Estrade Fabre-Colin Garrigues Hamon Imbert Josselin Lagarde Maurel"
).split()
FIRST_NAMES = (
    "Agathe Bastien Céleste Damien Eugénie Félix Garance Hugo Inès Jules Katell Lucien Margaux Noé Odile "
    "Paul Romane Simon Tiphaine Ulysse Valentine Xavier Yasmine Zoé Aurélien Bérangère Corentin Daphné"
).split()
SPECIALISTS = [s for s in Specialty.values if s not in (Specialty.GENERAL_PRACTICE, Specialty.OTHER)]
REGIONS = [
    (Region.ILE_DE_FRANCE, 0.22),
    (Region.AUVERGNE_RHONE_ALPES, 0.14),
    (Region.OCCITANIE, 0.12),
    (Region.NOUVELLE_AQUITAINE, 0.11),
    (Region.PACA, 0.10),
    (Region.HAUTS_DE_FRANCE, 0.09),
    (Region.GRAND_EST, 0.08),
    (Region.BRETAGNE, 0.07),
    (Region.LA_REUNION, 0.03),
    ("", 0.04),
]

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


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_FALLBACK


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _demo_rpps(n):
    digits = f"{DEMO_RPPS_PREFIX}{n:05d}"
    return digits + luhn_check_digit(digits)


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _seed_campaigns():
    campaigns = {}
    for slug, title, opens_on, closes_on, status in CAMPAIGNS:
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            campaign = Campaign(slug=slug, title=title, opens_on=opens_on, closes_on=closes_on, status=status)
            campaign.full_clean()
            campaign.save()
        campaigns[slug] = campaign
    return campaigns


def _seed_doctors(rng, now):
    """Create the directory sample's doctors and the invented ones; return them as a list."""
    existing = set(Doctor.objects.values_list("rpps", flat=True))
    new = []
    sample = DirectoryEntry.objects.filter(rpps__startswith=SAMPLE_RPPS_PREFIX).order_by("rpps")
    for entry in sample:
        if entry.rpps in existing:
            continue
        new.append(
            Doctor(
                rpps=entry.rpps,
                last_name=entry.last_name.title(),
                first_name=entry.first_name,
                specialty=specialty_for_savoir_faire(entry.specialty_code),
                practice_mode=PRACTICE_MODE_CODES.get(entry.practice_mode_code, "liberal"),
                region=region_for_department(entry.department_code),
                verification_status=Doctor.Status.VERIFIED,
                verified_by=Doctor.VerifiedBy.DIRECTORY,
                verified_at=now,
            )
        )
    n_invented = N_DOCTORS - sample.count()
    for n in range(n_invented):
        # Drawn even for doctors already there, so the sequence (and the data) never shifts.
        is_gp = rng.random() < GP_SHARE
        specialty = Specialty.GENERAL_PRACTICE if is_gp else rng.choice(SPECIALISTS)
        region = _weighted(rng, REGIONS)
        last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
        mode = "liberal" if rng.random() < 0.85 else "mixed"
        rpps = _demo_rpps(n)
        if rpps in existing:
            continue
        new.append(
            Doctor(
                rpps=rpps,
                last_name=last,
                first_name=first,
                specialty=specialty,
                practice_mode=mode,
                region=region,
                verification_status=Doctor.Status.VERIFIED,
                verified_by=Doctor.VerifiedBy.IMPORT,
                verified_at=now,
            )
        )
    Doctor.objects.bulk_create(new, batch_size=500)
    return len(new)


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


def _submitted_at(rng, campaign):
    start = datetime.datetime.combine(campaign.opens_on, datetime.time(7), tzinfo=datetime.UTC)
    last_day = min(campaign.closes_on, OPEN_CAMPAIGN_ANSWERED_UNTIL)
    span = (last_day - campaign.opens_on).days * 86_400 + 13 * 3_600
    return start + datetime.timedelta(seconds=rng.randrange(span))


def _seed_responses(rng, campaigns, moderator, now):
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
    for product in Product.objects.order_by("slug"):
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


def _seed_demo_doctor_history(campaigns, moderator):
    """Give the demo doctor's account spring answers (one comment published, one refused)."""
    doctor = Doctor.objects.get(rpps=DEMO_DOCTOR_RPPS)
    spring = campaigns["printemps-2026"]
    if Response.objects.filter(doctor=doctor, campaign=spring).exists():
        return
    products = {p.slug: p for p in Product.objects.filter(slug__in=["medilogix-cabinet", "agendoc-pro"])}
    rows = [
        (
            "medilogix-cabinet",
            4,
            "Solide pour la facturation ; le support met du temps en période de mise à jour.",
            "approved",
        ),
        (
            "agendoc-pro",
            3,
            "Des patients m'ont dit avoir été orientés vers une autre plateforme.",
            "rejected",
        ),
    ]
    for slug, value, comment, state in rows:
        if slug not in products:
            continue
        response = Response.objects.create(
            doctor=doctor,
            product=products[slug],
            campaign=spring,
            status=Response.Status.SUBMITTED,
            submitted_at=datetime.datetime(2026, 3, 12, 20, 30, tzinfo=datetime.UTC),
            recommend=7 if value >= 4 else 5,
            comment=comment,
            comment_status=state,
            comment_rejection_reason=(
                rejection_text(
                    RejectionReason.NOT_ABOUT_PRODUCT,
                    "Le témoignage rapporte des propos de patients sans décrire votre usage de l'outil.",
                )
                if state == "rejected"
                else ""
            ),
            **dict.fromkeys(FACET_SLUGS, value),
        )
        ModerationEvent.objects.create(
            response=response,
            action=(
                ModerationEvent.Action.APPROVE_COMMENT
                if state == "approved"
                else ModerationEvent.Action.REJECT_COMMENT
            ),
            actor=moderator,
            reason_code="" if state == "approved" else RejectionReason.NOT_ABOUT_PRODUCT,
            at=datetime.datetime(2026, 3, 14, 9, tzinfo=datetime.UTC),
        )


def _seed_conflict_example(campaigns):
    """One invented doctor declared a link with a vendor and rated its product: a flag for the moderators."""
    doctor = Doctor.objects.filter(rpps=_demo_rpps(7)).first()
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


def _seed_accounts():
    """Create the demo accounts when missing; return [(e-mail, role, password or None if it existed)]."""
    User = get_user_model()
    password = demo_password()
    accounts = []
    for email, group, first_name, last_name in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                username=email,
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                is_staff=group in ("moderator", "editor", "analyst"),
            )
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        accounts.append((email, group, password if created else None))
        if group == "doctor":
            doctor = Doctor.objects.get(rpps=DEMO_DOCTOR_RPPS)
            if doctor.user_id is None:
                doctor.user = user
                doctor.last_name, doctor.first_name = last_name, first_name
                doctor.email_confirmed_at = timezone.now()
                doctor.save(
                    update_fields=["user", "last_name", "first_name", "email_confirmed_at", "updated_at"]
                )
        if group == "vendor":
            vendor = Vendor.objects.filter(slug=DEMO_VENDOR_SLUG).first()
            if vendor is not None:
                VendorMembership.objects.get_or_create(user=user, vendor=vendor)
    return accounts


@transaction.atomic
def seed_survey_data(*, stdout=None):
    """Load the demo survey data when missing; return the demo accounts [(e-mail, role, password|None)].

    Scores are not computed here: seed_demo computes every campaign once the data is in.
    """
    rng = random.Random(SEED)
    now = timezone.now()
    report = import_directory(path=DIRECTORY_SAMPLE)
    _say(stdout, f"Directory sample: {report.doctors} doctors ({report.created} new).")
    campaigns = _seed_campaigns()
    created_doctors = _seed_doctors(rng, now)
    accounts = _seed_accounts()
    moderator = get_user_model().objects.get(email__iexact="moderation@demo.invalid")
    created_responses = _seed_responses(rng, campaigns, moderator, now)
    _seed_demo_doctor_history(campaigns, moderator)
    _seed_conflict_example(campaigns)
    if created_responses:
        flag_imported_responses(
            campaign_ids=[c.pk for c in campaigns.values()], since=now - datetime.timedelta(days=3650)
        )
    _say(
        stdout,
        f"Survey demo: {created_doctors} doctors and {created_responses} responses created "
        f"({Response.objects.count()} responses in all).",
    )
    return accounts
