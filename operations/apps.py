from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the platform: database backups and their restoration."""

    name = "operations"
    verbose_name = _("Operations")
