"""The moderators' pages in the Wagtail admin: the queue of comments (awaiting a decision or reported
by readers), one response's decisions and history, the fraud signals. Only moderators
(surveys.change_response) and superusers get past `ModeratorRequiredMixin`.

The queue never shows who wrote a comment: only the coarse profile. A response's page shows the doctor's
profile to moderators and the identity (name, RPPS, e-mail) to superusers only.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from surveys.models import CommentReport, Response, ResponseFlag
from surveys.services.moderation import (
    ModerationError,
    approve_comment,
    can_moderate,
    dismiss_reports,
    exclude_response,
    reject_comment,
    resolve_flag,
    restore_response,
)

from .forms import FlagFilterForm, ReasonForm, RejectForm

PAGE_SIZE = 50


class ModeratorRequiredMixin:
    """Answer 403 to signed-in admin users without the moderation right.

    A 403 response rather than PermissionDenied: Wagtail turns the exception into a redirect to the
    dashboard, which hides the refusal.
    """

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            return TemplateResponse(request, "surveys/moderation/forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class ModerationPage(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "comment"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("surveys_moderation:queue"), "label": _("Moderation")},
            {"url": "", "label": self.get_page_title()},
        ]


def _queue_queryset():
    """Return the comments awaiting a decision and the published ones readers reported, oldest first."""
    open_reports = CommentReport.objects.open().filter(response=OuterRef("pk"))
    return (
        Response.objects.submitted()
        .annotate(reported=Exists(open_reports))
        .filter(
            Q(comment_status=Response.CommentStatus.PENDING)
            | Q(comment_status=Response.CommentStatus.APPROVED, reported=True)
        )
        .select_related("product", "campaign", "doctor")
        .annotate(
            open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True), distinct=True),
            report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True), distinct=True),
        )
        .prefetch_related(Prefetch("reports", CommentReport.objects.open(), to_attr="open_reports"))
        .order_by("submitted_at", "pk")
    )


class QueueView(ModerationPage):
    """Comments awaiting a decision, oldest first."""

    template_name = "surveys/moderation/queue.html"
    page_title = _("Comments to moderate")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(_queue_queryset(), PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update(
            page=page,
            responses=page.object_list,
            reject_form=RejectForm(),
            comment_status=Response.CommentStatus,
        )
        return context


class ResponseDetailView(ModerationPage):
    """One response: answers, comment, coarse profile, flags, history and the decision forms."""

    template_name = "surveys/moderation/response.html"

    def dispatch(self, request, *args, **kwargs):
        self.response = get_object_or_404(
            Response.objects.select_related("product__vendor", "campaign", "doctor__user"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Response #%(id)s") % {"id": self.response.pk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.response
        reports = list(response.reports.select_related("reporter__doctor", "resolved_by"))
        context.update(
            response=response,
            answers=[
                (Response._meta.get_field(slug).verbose_name, value)
                for slug, value in response.answers.items()
            ],
            events=response.moderation_events.select_related("actor").order_by("-at", "-pk"),
            flags=response.flags.select_related("resolved_by").order_by("created_at"),
            reports=reports,
            open_reports=any(report.resolved_at is None for report in reports),
            comment_status=Response.CommentStatus,
            show_identity=self.request.user.is_superuser,
            reject_form=RejectForm(),
            reason_form=ReasonForm(),
            can_decide_comment=bool(response.comment.strip()),
        )
        return context


class DecisionView(ModeratorRequiredMixin, View):
    """POST one decision on a response, then go back to the queue or to the response."""

    http_method_names = ["post"]
    decision = None  # "approve", "reject", "dismiss_reports", "exclude" or "restore"

    def post(self, request, pk):
        response = get_object_or_404(Response, pk=pk)
        next_url = reverse("surveys_moderation:response", args=[pk])
        try:
            if self.decision == "approve":
                approve_comment(response=response, moderator=request.user)
                messages.success(request, _("Comment published; the doctor is told."))
                next_url = reverse("surveys_moderation:queue")
            elif self.decision == "dismiss_reports":
                dismiss_reports(response=response, moderator=request.user)
                messages.success(request, _("Comment kept published; its reports are closed."))
                next_url = reverse("surveys_moderation:queue")
            elif self.decision == "reject":
                form = RejectForm(request.POST)
                if not form.is_valid():
                    raise ModerationError(_("Choose a reason from the list."))
                reject_comment(response=response, moderator=request.user, **form.cleaned_data)
                messages.success(request, _("Comment refused; the doctor is told why."))
                next_url = reverse("surveys_moderation:queue")
            else:
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    raise ModerationError(_("Say why."))
                service = exclude_response if self.decision == "exclude" else restore_response
                service(response=response, moderator=request.user, reason=form.cleaned_data["reason"])
                messages.success(
                    request,
                    _("Response excluded from the scores.")
                    if self.decision == "exclude"
                    else _("Response counted in the scores again."),
                )
        except ModerationError as exc:
            messages.error(request, exc.message)
            next_url = reverse("surveys_moderation:response", args=[pk])
        return redirect(next_url)


class FlagListView(ModerationPage):
    """Fraud and quality signals, filtered by kind and state; newest first."""

    template_name = "surveys/moderation/flags.html"
    page_title = _("Fraud signals")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = FlagFilterForm(self.request.GET or None)
        flags = ResponseFlag.objects.select_related("response__product", "response__campaign", "resolved_by")
        kind, state = "", "open"
        if form.is_valid():
            kind, state = form.cleaned_data["kind"], form.cleaned_data["state"] or "open"
        if kind:
            flags = flags.filter(kind=kind)
        if state == "open":
            flags = flags.filter(resolved_at__isnull=True)
        elif state == "resolved":
            flags = flags.filter(resolved_at__isnull=False)
        page = Paginator(flags.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(form=form, page=page, flags=page.object_list, query=query.urlencode())
        return context


class ResolveFlagView(ModeratorRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        flag = get_object_or_404(ResponseFlag, pk=pk)
        try:
            resolve_flag(flag=flag, moderator=request.user)
            messages.success(request, _("Signal marked as resolved."))
        except ModerationError as exc:
            messages.error(request, exc.message)
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = reverse("surveys_moderation:flags")
        return redirect(next_url)
