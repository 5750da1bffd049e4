"""Figures drawn from one snapshot, kept in each process's memory.

What a page derives from a snapshot (a product's figures and charts, a ranking, a comparison) never
changes while that snapshot is the one shown: the key names the snapshot's version
(`Snapshot.version`, which any recompute changes), so nothing is ever invalidated and a process's own
memory is as right as a shared cache, without its round trip. The cache is the `snapshot` alias of
CACHES (a LocMemCache of bounded size; a recompute's new keys push the old ones out).
"""

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

ALIAS = "snapshot"
TIMEOUT = 24 * 3600


def _cache():
    return caches[ALIAS if ALIAS in settings.CACHES else "default"]


def remember(snapshot, key, compute):
    """Return compute() for this snapshot, `key` and the reader's language, computed once per process."""
    if snapshot is None:
        return compute()
    return _cache().get_or_set(f"{snapshot.version}:{get_language()}:{key}", compute, TIMEOUT)


def names_key(names):
    """Return a short key part for a {slug: name} mapping, so that figures printing names follow a rename."""
    return format(hash(tuple(sorted(names.items()))) & 0xFFFFFFFF, "08x")


def forget_all():
    """Empty this process's snapshot cache (tests; a restored backup whose primary keys start again)."""
    _cache().clear()
