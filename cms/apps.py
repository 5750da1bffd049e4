from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_migrate

        from surveys import charter

        from . import navigation, signals
        from .legal import published_charter
        from .permissions import grant_editor_permissions

        signals.connect()
        charter.provide(published_charter)
        navigation.connect()
        post_migrate.connect(grant_editor_permissions, dispatch_uid="cms_grant_editor_permissions")
        post_migrate.connect(create_legal_pages, sender=self, dispatch_uid="cms_create_legal_pages")


def create_legal_pages(**kwargs):
    """After migrate: a site with a home page gets the legal pages it lacks (cms.legal)."""
    from .legal import ensure_legal_pages

    ensure_legal_pages()
