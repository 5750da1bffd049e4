"""The evaluator's charter a doctor accepts at sign-up: which version is current, and where to read it.

The charter is a page of the site (the cms app) that editors keep up to date; surveys sits below the
cms and never imports it, so the cms tells it, when it starts, how to find the current charter
(`provide`). Without a charter page the version is "" and the sign-up still asks to accept the rules it
states in its own words.
"""

_provider = None


def provide(provider):
    """Set the callable returning (version, url) of the published charter, or None without one."""
    global _provider
    _provider = provider


def current():
    """Return (version, url) of the published charter, or ("", None)."""
    found = _provider() if _provider is not None else None
    return found or ("", None)
