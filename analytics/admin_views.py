"""The analysts' view of the latest scores in the Wagtail admin: sensitivity to flagged responses,
escalations, and a button that queues a recompute. Read-only: a score is never edited by hand.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import CategoryRanking, ProductScore, ScoreSnapshot
from .tasks import schedule_recompute

app_name = "analytics_admin"


def can_read_scores(user):
    return user.is_active and (user.is_superuser or user.has_perm("analytics.view_productscore"))


class AnalystRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_read_scores(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScoresView(AnalystRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "analytics/admin/scores.html"
    page_title = _("Scores")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snapshot = ScoreSnapshot.objects.current()
        scores = (
            ProductScore.objects.filter(snapshot=snapshot)
            .select_related("product", "product__category", "product__vendor")
            .order_by("-escalate", "product__category__name", "rank", "product__name")
        )
        if self.request.GET.get("escalated"):
            scores = scores.filter(escalate=True)
        context.update(
            snapshot=snapshot,
            scores=scores,
            categories=CategoryRanking.objects.filter(snapshot=snapshot).select_related("category"),
            escalated=self.request.GET.get("escalated"),
        )
        return context


class RecomputeView(AnalystRequiredMixin, View):
    def post(self, request):
        schedule_recompute()
        messages.success(request, _("A recompute has been queued; the scores will be updated in a minute."))
        return redirect("analytics_admin:scores")


urlpatterns = [
    path("", ScoresView.as_view(), name="scores"),
    path("recompute/", RecomputeView.as_view(), name="recompute"),
]
