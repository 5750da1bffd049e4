"""The production static files must be collected before the site is served."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def require_collected_static():
    """Raise ImproperlyConfigured when the static files storage needs a manifest that is not there.

    A manifest storage (whitenoise's, in the production settings) answers every page that links a
    stylesheet with a 500 until `collectstatic` has run: refuse to start instead, saying what to run.
    """
    if not isinstance(staticfiles_storage, ManifestFilesMixin) or not staticfiles_storage.manifest_strict:
        return
    if staticfiles_storage.read_manifest() is None:
        raise ImproperlyConfigured(
            f"The static files are not collected: {settings.STATIC_ROOT} has no "
            f"{staticfiles_storage.manifest_name}. Run `make prod-setup` (or `manage.py collectstatic "
            "--noinput` with the same settings) before serving."
        )
