"""Every URL pattern, filled with hostile values, answers without a server error (no 5xx).

The URL patterns come from the resolver, includes and the Wagtail and Django admins too. Each path
converter is filled with hostile values (NUL, Unicode digits, a 10 kB string, negative and huge numbers,
unknown slugs) as well as with real ones, and hostile query strings are added, as a reader, a doctor, a
vendor's member and a superuser. Hostile forms are posted to every page of the site and to the admin
views of the project's own models (the rest of the admin is Wagtail's and Django's code: GET only).
A 5xx fails the route with the traceback of its exception.
"""

import copy
import re
import traceback
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize
from wagtail.documents.models import Document
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

from cms.demo import seed_pages
from ratings.demo import seed_catalogue
from ratings.models import FACET_SLUGS, Product, VendorMembership
from surveys.models import ConflictOfInterest, Response
from tests.analytics import builders
from tests.factories import CampaignFactory, DoctorFactory, StaffFactory, UserFactory, valid_rpps

LONG = "x" * 10_000
HUGE = "99999999999999999999"
# '²' passes str.isdigit() but not int(); '٣' (Arabic-Indic three) passes both, and regex \d.
SEGMENTS = ["\x00", "²", "٣", "-1", "0", HUGE, "unknown-slug", LONG]
QUERIES = [
    "p=%00&p=x",
    "page=²",
    "product=²",
    "avis=-1",
    "avis=²",
    f"page={HUGE}",
    f"p={HUGE}",
    f"q={LONG}",
    f"category={LONG}&vendor=²&ordering=-1&sort=²&next={LONG}",
]
# Posted forms get one of these per field, shifted by one from a post to the next.
POSTED = ["²", "-1", HUGE, LONG, "٣", "unknown-slug"]
# Field names the site's own forms do not show but its views read.
EXTRA_FIELDS = ["action", "product", "shown", "conflict", "next", "p", "page", "q", "reason"]
# Forms of a page filled in; an admin listing has many, alike.
MAX_FORMS = 4

PROJECT_APPS = ("accounts", "ratings", "surveys", "analytics", "cms", "config")
# Wagtail's page that raises on purpose, to check the error handling.
DELIBERATE_ERRORS = {"wagtailadmin_error_test"}
# Routes that still answer 5xx to some hand-made request, in code that is upstream or being rewritten by
# others: (route pattern, cause[, database vendor]). Each mark goes once its cause is fixed; a fixed one
# shows as XPASS in the summary.
KNOWN_FAILURES = [
    (
        r"^admin/.*chosen/<str:pk>/$",
        "Wagtail 8: the choosers' chosen/<str:pk>/ views pass any text to objects.get(pk=…) (ValueError)",
    ),
    (
        r"^admin/snippets/choose/(ratings/(product|vendor|category|facet|methodology)|surveys/campaign|cms/contactmessage)"
        r"/create/$",
        "Wagtail 8: a snippet chooser's create view posted to without a creation form (None.is_valid)",
    ),
    (
        r"^admin/snippets/ratings/(product/(add|edit|copy)|vendor/(add|edit|copy)|methodology/(edit|copy))/",
        "Wagtail 8: AdminChooser.get_instance() re-renders an invalid form with objects.get(pk=<posted "
        "text>) and catches DoesNotExist only (ValueError)",
    ),
    (
        r"^(admin/snippets/surveys/campaign/(add|edit/<int:pk>|copy/<int:pk>)/"
        r"|django-admin/accounts/user/<path:object_id>/change/)$",
        "Django 5.2: ModelMultipleChoiceField runs pk__in=[<20-digit number>], which SQLite cannot bind "
        "(OverflowError)",
        "sqlite",
    ),
    (
        r"^admin/pages/<int:page_id>/revisions/<int:revision_id>/revert/$",
        "Wagtail 8: reverting a page to an unknown revision (None.as_object)",
    ),
]


@dataclass(frozen=True)
class Route:
    """One URL pattern: its route as written, a format string with %(param)s slots, and its view."""

    route: str
    fmt: str
    params: tuple
    callback: object
    name: str | None

    @property
    def is_admin(self):
        return self.route.startswith(("admin/", "django-admin/"))

    @property
    def is_project_admin(self):
        """Admin views of the project's own code or models (snippets, moderation, scores)."""
        segments = self.route.split("/")
        return self.is_admin and (
            self.callback.__module__.split(".")[0] in PROJECT_APPS
            or any(app in segments for app in PROJECT_APPS)
        )


def walk(patterns, route="", fmt="", params=()):
    """Yield a Route for every URL pattern under `patterns`, recursing into includes."""
    for pattern in patterns:
        for sub_fmt, sub_params in normalize(pattern.pattern.regex.pattern):
            here = (route + str(pattern.pattern), fmt + sub_fmt, params + tuple(sub_params))
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, *here)
            else:
                yield Route(*here, callback=pattern.callback, name=pattern.name)


def routes():
    seen, found = set(), []
    for route in walk(get_resolver().url_patterns):
        if route.fmt not in seen:
            seen.add(route.fmt)
            found.append(route)
    return found


ROUTES = [route for route in routes() if route.name not in DELIBERATE_ERRORS]


def route_param(route):
    marks = [
        pytest.mark.xfail(reason=reason, condition=not vendor or connection.vendor == vendor[0])
        for pattern, reason, *vendor in KNOWN_FAILURES
        if re.search(pattern, route.route)
    ]
    return pytest.param(route, id=route.route[:90], marks=marks)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo catalogue and pages, scores of one campaign, an open campaign, one user per role."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_catalogue()
        seed_pages()
        product = Product.objects.get(slug="agendoc-pro")
        closed = builders.campaign()
        responses = builders.answer(
            builders.doctors(6), product, closed, dict.fromkeys(FACET_SLUGS, 4), recommend=9
        )
        Response.objects.filter(pk__in=[r.pk for r in responses]).update(
            comment="Pratique.", comment_status=Response.CommentStatus.APPROVED
        )
        call_command("recompute_scores", verbosity=0)
        opened = CampaignFactory(categories=[product.category])
        doctor = DoctorFactory(rpps=valid_rpps(777_001))  # clear of the builders' series
        ConflictOfInterest.objects.create(
            doctor=doctor,
            vendor=Product.objects.exclude(vendor=product.vendor).first().vendor,
            description="x",
        )
        Response.objects.create(doctor=doctor, product=product, campaign=opened, status=Response.Status.DRAFT)
        vendor_user = UserFactory(groups=["vendor"])
        VendorMembership.objects.create(user=vendor_user, vendor=product.vendor)
        Group.objects.get_or_create(name="vendor")
        document = Document.objects.create(title="Note", file=ContentFile(b"rpps\n", name="note.csv"))
        users = {"doctor": doctor.user, "vendor": vendor_user, "superuser": StaffFactory()}
        clients = {"anonymous": Client(raise_request_exception=False)}
        for role, user in users.items():
            clients[role] = Client(raise_request_exception=False)
            clients[role].force_login(user)
        data = {
            "product": product,
            "campaign": opened,
            "comment": responses[0],
            "document": document,
            "clients": clients,
        }
        yield data
        transaction.set_rollback(True)


def real_values(route, site):
    """Return the path values that lead to an existing object for `route`."""
    product, campaign = site["product"], site["campaign"]
    by_name = {
        "campaign": {"slug": campaign.slug},
        "pick_tools": {"slug": campaign.slug},
        "rate_tool": {"slug": campaign.slug, "product_slug": product.slug},
        "report_comment": {"pk": site["comment"].pk},
        "product_detail": {"slug": product.slug},
        "vendor_detail": {"slug": product.vendor.slug},
        "vendor_reply": {"slug": product.slug},
        "vendor_report_export": {"slug": product.vendor.slug},
        "wagtaildocs_serve": {"_0": site["document"].pk, "_1": site["document"].filename},
    }
    return {param: "1" for param in route.params} | by_name.get(route.name, {})


def resolves_to(path, route):
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is route.callback and match.url_name == route.name


def paths(route, site):
    """Return the real path of `route`, then the paths with one parameter made hostile."""
    if route.callback is wagtail_serve:
        pages = [p.url for p in Page.objects.live().specific() if p.url]
        return pages + ["/unknown-slug/", "/²/", "/٣/", f"/{LONG}/", "/articles/-1/"]
    real = real_values(route, site)
    found = ["/" + route.fmt % real]
    for param in route.params:
        for value in SEGMENTS:
            path = "/" + route.fmt % (real | {param: value})
            if path not in found and resolves_to(path, route):
                found.append(path)
    return found


def users_for(route):
    if route.is_admin:
        # Signed out, the admin answers a redirect to its sign-in page, which is walked signed out.
        return ["anonymous", "superuser"] if re.search("login|password", route.route) else ["superuser"]
    if route.route.startswith(("compte/", "mes-evaluations/", "enquete/")):
        return ["anonymous", "doctor"]
    if route.route.startswith("espace-editeur/"):
        return ["anonymous", "vendor", "superuser"]
    return ["anonymous", "superuser"]


@dataclass
class Form:
    method: str
    action: str  # "" for the page itself
    fields: list  # (name, kind, value) in the page's order

    @property
    def signature(self):
        return self.method, self.action, tuple(name for name, _, _ in self.fields)


class Forms(HTMLParser):
    """The forms of a page; fields outside any form go to the first, a POST one."""

    def __init__(self):
        super().__init__()
        self.forms = [Form("post", "", [])]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or ""
            # Forms sent to another site (or by script) are left out; the rest go where a browser sends them.
            action = action if action.startswith("/") and not action.startswith("//") else ""
            self.forms.append(Form((attrs.get("method") or "get").lower(), action, []))
        elif tag in {"input", "select", "textarea", "button"} and attrs.get("name"):
            kind = attrs.get("type") or tag if tag in {"input", "button"} else tag
            self.forms[-1].fields.append((attrs["name"], kind, attrs.get("value") or ""))


def hostile_form(fields, shift):
    """Return the form's data with every field hostile but the hidden and button values that are words.

    Those say what the form does (action=remove): kept, the view goes on to read the hostile fields.
    """
    data = {}
    for index, (name, kind, value) in enumerate(fields):
        if name == "csrfmiddlewaretoken":
            continue
        keep = kind in {"hidden", "submit", "button"} and value and not value.isdigit()
        data.setdefault(name, []).append(value if keep else POSTED[(index + shift) % len(POSTED)])
    return data


def hostile_requests(page, path, shifts):
    """Return (method, path, data): each form of `page` filled with hostile values, then every field.

    A form goes to its action (the report-a-comment form of a product page to /avis/…/signaler/); the
    last two requests post every field name to `path` itself.
    """
    forms = []
    if "html" in page.get("Content-Type", ""):
        parser = Forms()
        parser.feed(page.content.decode(errors="replace"))
        # One of each kind: a product page has one report form per comment, alike.
        forms = list({form.signature: form for form in parser.forms if form.fields}.values())[:MAX_FORMS]
    requests = [
        (form.method, form.action or path, hostile_form(form.fields, shift))
        for form in forms
        for shift in range(shifts)
    ]
    names = list(dict.fromkeys([name for form in forms for name, _, _ in form.fields] + EXTRA_FIELDS))
    requests.append(("post", path, {name: POSTED[i % len(POSTED)] for i, name in enumerate(names)}))
    requests.append(("post", path, dict.fromkeys(names[:3], "\x00")))
    return requests


class Walker:
    """Send requests with one client, each in a savepoint rolled back after it; collect the 5xx."""

    def __init__(self, client):
        self.client = client
        self.failures = []

    def send(self, method, path, data=None):
        cookies = copy.deepcopy(self.client.cookies)
        cache.clear()  # rate limits would answer 429 before the view reads anything
        savepoint = transaction.savepoint()
        try:
            response = getattr(self.client, method)(path, data)
        finally:
            transaction.savepoint_rollback(savepoint)
            transaction.set_rollback(False)
            # A sign-out or sign-in rotated the session the savepoint just took back.
            self.client.cookies = cookies
        if response.status_code >= 500:
            exc_info = getattr(response, "exc_info", None)
            trace = "".join(traceback.format_exception(*exc_info)) if exc_info else "(no exception)"
            self.failures.append(f"{method.upper()} {path[:150]} → {response.status_code}\n{trace}")
        return response


@pytest.mark.django_db
@pytest.mark.parametrize("route", [route_param(r) for r in ROUTES])
def test_no_server_error_on_hostile_input(route, site):
    posts = not route.is_admin or route.is_project_admin
    queries = QUERIES if not route.is_admin else QUERIES[-1:]
    failures = []
    for user in users_for(route):
        walker = Walker(site["clients"][user])
        real, *hostile = paths(route, site)
        page = walker.send("get", real)
        for query in queries:
            walker.send("get", f"{real}?{query}")
        for path in hostile:
            walker.send("get", path)
        if posts:
            # Hostile values in the page's own forms, and in fields its views read without showing them.
            # On the site each field gets every hostile value in turn; the admin's forms are long and alike.
            shifts = 2 if route.is_admin else len(POSTED)
            for method, target, data in hostile_requests(page, real, shifts):
                walker.send(method, target, data)
        failures += [f"as {user}: {failure}" for failure in walker.failures]
    assert not failures, "\n\n".join(failures)
