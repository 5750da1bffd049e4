"""Who may open what (issue 13, item 4): every URL pattern of the site and the API, requested as each role,
against a table of expected answers. A new URL pattern with no row in the table fails here.

The roles are the demo's accounts plus a pending doctor and a second vendor. Vendor A is the demo
vendor's company; the samples (its product, its report file, its scores file) belong to vendor A, so
vendor B must get 404 where vendor A gets 200. The admins (/admin/, /django-admin/) are checked at their
entry points; their own views check model permissions (Wagtail's and Django's).
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from analytics.models import ScoreSnapshot
from cms.models import ReportRun, ReviewSubmission
from cms.report_delivery import _store, release_reports, request_report_run
from ratings.models import Category, Product, Vendor, VendorMembership
from surveys.demo.accounts import DEMO_DOCTOR_EMAIL
from surveys.models import Response
from tests.factories import DoctorFactory, UserFactory
from tests.test_hostile_input import ROUTES

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous", "pending doctor", "verified doctor", "vendor A", "vendor B", "editor", "moderator", "analyst",
    "superuser",
)  # fmt: skip

# Shorthands for rows: the same answer for every role, or a row spelled out in ROLES' order.
ALL_200 = (200,) * 9
NOT_FOUND = (404,) * 9
POST_ONLY = (405,) * 9
SIGNED_IN = (302, 200, 200, 200, 200, 200, 200, 200, 200)  # anonymous readers are sent to sign in
SIGNED_OUT = (200, 302, 302, 302, 302, 302, 302, 302, 302)  # signed-in users are sent to their account
DOCTOR = (302, 200, 200, 302, 302, 302, 302, 302, 302)  # other accounts are sent to their account page
VERIFIED_DOCTOR = (302, 302, 200, 302, 302, 302, 302, 302, 302)
VENDOR_A_OR_STAFF = (404, 404, 404, 200, 404, 200, 200, 200, 200)  # vendor A's files: 404 to all others

EXPECTED = {
    # Language switch (a POST form; a GET is sent back where it came from), discovery
    "set_language": (302,) * 9,
    "sitemap": ALL_200,
    "robots_txt": ALL_200,
    "review_feed": ALL_200,
    "article_feed": ALL_200,
    "badge": ALL_200,
    # The public API: the same for everyone (no account is ever asked)
    "category-list": ALL_200, "category-detail": ALL_200, "vendor-list": ALL_200, "vendor-detail": ALL_200,
    "product-list": ALL_200, "product-detail": ALL_200, "product-facets": ALL_200, "product-subgroups": ALL_200,
    "ranking-list": ALL_200,
    "ranking-detail": ALL_200, "campaign-list": ALL_200, "campaign-detail": ALL_200,
    "campaign-open-data": ALL_200, "schema": ALL_200, "docs": ALL_200, "unknown": NOT_FOUND,
    # Readers' pages
    "product_list": ALL_200, "product_detail": ALL_200, "vendor_detail": ALL_200, "rankings": ALL_200,
    "category_ranking": ALL_200, "compare": ALL_200, "search": ALL_200, "open_data": ALL_200,
    "open_data_script": ALL_200, "open_data_file": ALL_200, "methodology_redirect": (302,) * 9,
    "wagtail_serve": ALL_200,
    # Accounts
    "account": SIGNED_IN,
    "signup": SIGNED_OUT,
    "login": SIGNED_OUT,
    "logout": POST_ONLY,
    # Pro Santé Connect: not offered unless configured (tests/surveys/test_pro_sante_connect.py runs it with
    # a provider); the pages that finish a sign-in need one in progress; unlinking is a POST of a signed-in user
    "psc_start": (404,) * 9, "psc_callback": (404,) * 9, "psc_welcome": (404,) * 9, "psc_link": (404,) * 9,
    "psc_unlink": (302, 405, 405, 405, 405, 405, 405, 405, 405),
    "resend_confirmation": POST_ONLY,
    "confirm_email": (302,) * 9,  # an unknown token: back to the account page with a message
    "password_reset": ALL_200, "password_reset_done": ALL_200, "password_reset_confirm": ALL_200,
    "password_reset_complete": ALL_200,
    "password_change": SIGNED_IN, "password_change_done": SIGNED_IN,
    "export_data": SIGNED_IN, "delete_account": SIGNED_IN, "my_ratings": SIGNED_IN,
    "conflicts": DOCTOR,
    # The survey: verified doctors only (the survey's index sends everyone to the open campaign or away)
    "survey": (302,) * 9,
    "campaign": VERIFIED_DOCTOR, "pick_tools": VERIFIED_DOCTOR, "rate_tool": VERIFIED_DOCTOR,
    "report_comment": ALL_200,  # the report form, for anyone (the report itself is a POST)
    # The vendor space: its vendors' members and the staff
    "vendor_reports": (302, 403, 403, 200, 200, 200, 200, 200, 200),
    "review_drafts": (302, 404, 404, 200, 200, 200, 200, 200, 200),
    "review_draft": VENDOR_A_OR_STAFF,  # what was sent to vendor A before publication
    "review_draft_answer": (404, 405, 405, 405, 405, 405, 405, 405, 405),
    # The reply and its commitments about vendor A's product: its members only (staff read, never write)
    "vendor_reply": (302, 403, 403, 200, 404, 403, 403, 403, 403),
    "vendor_report_export": VENDOR_A_OR_STAFF,
    "vendor_report_file": VENDOR_A_OR_STAFF,
    # Wagtail's own pages for restricted documents and pages, and its fallback sign-in
    "wagtailcore_login": ALL_200,
}  # fmt: skip

ADMIN_ENTRIES = {
    "/admin/": (302, 302, 302, 302, 302, 200, 200, 200, 200),
    # Staff reach Django's admin index, which lists only the models they hold a permission on.
    "/django-admin/": (302, 302, 302, 302, 302, 200, 200, 200, 200),
}
# Routes with no sample to give them: documents and restricted pages need objects the demo does not have.
NO_SAMPLE = {
    "wagtaildocs_serve",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_authenticate_with_password",
}


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "matrix-admin-password")
    call_command("seed_demo", stdout=io.StringIO())
    users = get_user_model().objects
    vendor_user = users.get(email="editeur@demo.invalid")
    vendor_a = vendor_user.vendor_memberships.get().vendor
    vendor_b = Vendor.objects.exclude(pk=vendor_a.pk).filter(products__is_listed=True).first()
    b_user = UserFactory(groups=["vendor"])
    VendorMembership.objects.create(user=b_user, vendor=vendor_b)
    analyst = users.get(email="analyse@demo.invalid")
    snapshot = ScoreSnapshot.objects.filter(is_current=True).select_related("campaign").get()
    run = request_report_run(
        campaign=snapshot.campaign, formats=["csv"], requested_by=analyst, vendor=vendor_a
    )
    report = _store(run, vendor_a, f"{vendor_a.slug}/products.csv", b"product\n")
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.DONE)
    release_reports(campaign=snapshot.campaign, released_by=analyst)
    product = Product.objects.listed().filter(vendor=vendor_a).first()
    sent = ReviewSubmission.objects.filter(vendor=vendor_a).first()
    samples = {
        "slug": product.slug, "product_slug": product.slug, "campaign": snapshot.campaign.slug,
        "name": "manifest.json", "token": "not-a-token", "uidb64": "MQ", "pk": str(report.pk),
    }  # fmt: skip
    per_route = {
        "category-detail": {"slug": product.category.slug},
        "ranking-detail": {"slug": product.category.slug},
        "category_ranking": {"slug": product.category.slug},
        "vendor-detail": {"slug": vendor_a.slug},
        "vendor_detail": {"slug": vendor_a.slug},
        "vendor_report_export": {"slug": vendor_a.slug},
        "campaign-detail": {"slug": snapshot.campaign.slug},
        "campaign-open-data": {"slug": snapshot.campaign.slug},
        "review_draft": {"pk": str(sent.pk)},
        "review_draft_answer": {"pk": str(sent.pk)},
        "report_comment": {"pk": str(Response.objects.filter(comment_status="approved").first().pk)},
        "wagtail_serve": {"_0": ""},
    }
    from surveys.models import Campaign

    open_campaign = Campaign.objects.open().first()
    for name in ("campaign", "pick_tools", "rate_tool"):
        per_route[name] = {"slug": open_campaign.slug, "product_slug": product.slug}
    roles = {
        "anonymous": None,
        "pending doctor": DoctorFactory(verification_status="pending").user,
        "verified doctor": users.get(email=DEMO_DOCTOR_EMAIL),
        "vendor A": vendor_user,
        "vendor B": b_user,
        "editor": users.get(email="redaction@demo.invalid"),
        "moderator": users.get(email="moderation@demo.invalid"),
        "analyst": analyst,
        "superuser": users.get(email="admin@observatoire.invalid"),
    }
    assert Category.objects.exists()
    return samples, per_route, roles


def _answers(url, roles):
    answers = []
    for user in roles.values():
        for cache in caches.all():  # a fresh address each time: no throttle or rate limit interferes
            cache.clear()
        client = Client()
        if user is not None:
            client.force_login(user)
        answers.append(client.get(url).status_code)
    return tuple(answers)


def test_every_url_answers_each_role_as_the_table_says(site):
    samples, per_route, roles = site
    site_routes = [r for r in ROUTES if not r.is_admin and r.name not in NO_SAMPLE]
    missing = sorted({r.name or r.route for r in site_routes} - set(EXPECTED))
    assert missing == [], f"URL patterns with no row in EXPECTED: {missing}"
    problems = []
    for route in site_routes:
        args = {p: samples.get(p, "1") for p in route.params} | per_route.get(route.name, {})
        url = "/" + (route.fmt % args).replace("^", "").replace("$", "")
        got = _answers(url, roles)
        if got != EXPECTED[route.name]:
            problems.append(f"{route.name} {url}: expected {EXPECTED[route.name]}, got {got}")
    for url, expected in ADMIN_ENTRIES.items():
        got = _answers(url, roles)
        if got != expected:
            problems.append(f"{url}: expected {expected}, got {got}")
    assert problems == [], "\n".join(problems)
