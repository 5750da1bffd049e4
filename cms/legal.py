"""Create the legal pages a site must carry, with their first text, under the site's home page."""

from django.db import transaction

from .legal_texts import LEGAL_PAGES, LEGAL_VERSION
from .models import HomePage, LegalPage

FOOTER_ORDER = list(LEGAL_PAGES)


def published_charter():
    """Return (version, URL) of the published evaluator's charter, or None (surveys.charter asks)."""
    page = LegalPage.objects.live().public().filter(kind=LegalPage.Kind.CHARTER).first()
    return (page.version, page.url) if page is not None else None


@transaction.atomic
def ensure_legal_pages():
    """Add, published, every legal page the site's home page lacks; return how many were created.

    Nothing happens before the site has a home page (the demo's, or one an editor made); editors then
    change the texts in Wagtail.
    """
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return 0
    existing = set(LegalPage.objects.values_list("kind", flat=True))
    created = 0
    for kind, (slug, title, body) in LEGAL_PAGES.items():
        if kind in existing:
            continue
        page = LegalPage(title=title, slug=slug, kind=kind, version=LEGAL_VERSION, body=body.strip())
        home.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return created
