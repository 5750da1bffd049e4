"""Read-only panels of the catalogue's admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class CommitmentsPanel(Panel):
    """The commitments of the reply version being moderated: published or refused with it (§10)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Commitments of this version"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "ratings/admin/commitments_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["commitments"] = (
                self.instance.commitments.select_related("facet") if self.instance.pk else []
            )
            return context
