"""Find the Chromium the Playwright tests drive: Debian's package, never a downloaded build."""

import os
import shutil

# Debian and Fedora name it chromium; Ubuntu and Alpine, chromium-browser.
NAMES = ("chromium", "chromium-browser")
OVERRIDE = "CHROMIUM"


class ChromiumMissing(RuntimeError):
    pass


def find_chromium(environ=None, which=shutil.which):
    """Return the path of the Chromium executable: $CHROMIUM if set, else the first of NAMES on PATH.

    Raise ChromiumMissing saying what was looked for and how to install it, so that a missing browser
    fails the browser tests instead of skipping them unseen.
    """
    environ = os.environ if environ is None else environ
    override = environ.get(OVERRIDE, "")
    if override:
        if os.path.isfile(override) and os.access(override, os.X_OK):
            return override
        raise ChromiumMissing(f"${OVERRIDE} is {override!r}, which is not an executable file.")
    for name in NAMES:
        path = which(name, path=environ.get("PATH"))
        if path:
            return path
    raise ChromiumMissing(
        f"No Chromium found: none of {', '.join(NAMES)} is on PATH ({environ.get('PATH', '')}). "
        f"Install Debian's package (`make browser-deps`, or `apt-get install chromium`), set ${OVERRIDE} "
        "to its path, or leave the browser tests out with `-m 'not browser'`."
    )
