"""Conditional GETs: every answer depends on the published snapshot and the catalogue, and says so.

The ETag names the snapshot, the catalogue's last change, the language and the query; Last-Modified is the
later of the snapshot's computation and the catalogue's last change. A client that sends them back gets
304 Not Modified until a recompute or an edit of the catalogue.
"""

import hashlib

from django.db.models import Max
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language

from ratings.models import Category, Product, Vendor


def catalogue_changed_at():
    """Return the last time a category, vendor or product was saved (None for an empty catalogue)."""
    stamps = [
        model.objects.aggregate(latest=Max("updated_at"))["latest"] for model in (Category, Vendor, Product)
    ]
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None


def validators(request, snapshot):
    """Return (etag, last_modified) of the answer to `request`, which reads `snapshot`."""
    changed = catalogue_changed_at()
    stamps = [s for s in (snapshot.computed_at if snapshot else None, changed) if s is not None]
    key = "|".join(
        [
            str(snapshot.pk if snapshot else 0),
            changed.isoformat() if changed else "",
            get_language() or "",
            request.get_full_path(),
        ]
    )
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    return etag, (max(stamps) if stamps else None)


def not_modified(request, etag, last_modified):
    """Return True when the client's copy is current (If-None-Match first, as RFC 9110 says)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return bool(last_modified and since is not None and int(last_modified.timestamp()) <= since)


def set_validators(response, etag, last_modified):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response
