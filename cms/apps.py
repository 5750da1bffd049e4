from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Locale

        from surveys import charter

        from . import localized, navigation, page_cache, signals
        from .legal import published_charter
        from .permissions import grant_editor_permissions

        signals.connect()
        charter.provide(published_charter)
        navigation.connect()
        page_cache.connect()
        post_migrate.connect(grant_editor_permissions, dispatch_uid="cms_grant_editor_permissions")
        post_migrate.connect(create_legal_pages, sender=self, dispatch_uid="cms_create_legal_pages")
        for signal in (post_save, post_delete):
            signal.connect(
                localized.forget_locales, sender=Locale, dispatch_uid=f"cms_forget_locales_{signal}"
            )


def create_legal_pages(**kwargs):
    """After migrate: a site with a home page gets the legal pages it lacks (cms.legal)."""
    from .legal import ensure_legal_pages

    ensure_legal_pages()
