from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import navigation, signals
        from .permissions import grant_editor_permissions

        signals.connect()
        navigation.connect()
        post_migrate.connect(grant_editor_permissions, dispatch_uid="cms_grant_editor_permissions")
