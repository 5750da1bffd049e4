from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self):
        from surveys.signals import scores_invalidated

        from .receivers import scores_changed

        scores_invalidated.connect(scores_changed, dispatch_uid="analytics_recompute_on_change")
