"""The analysts' reports page in the Wagtail admin: make a campaign's vendor reports, follow the run,
download the files, release them to the vendors (or withdraw them)."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from analytics.admin_views import AnalystRequiredMixin
from cms.models import ReportFile, ReportRelease, ReportRun
from cms.report_delivery import (
    FORMATS,
    ReportRequestRefused,
    release_reports,
    request_report_run,
    withdraw_reports,
)
from ratings.models import Vendor
from surveys.models import Campaign

app_name = "cms_reports"


class ReportRunForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.filter(snapshots__isnull=False).distinct()
    )
    vendor = forms.ModelChoiceField(
        label=gettext_lazy("Vendor"),
        queryset=Vendor.objects.all(),
        required=False,
        empty_label=gettext_lazy("Every vendor"),
    )
    formats = forms.MultipleChoiceField(
        label=gettext_lazy("Formats"),
        choices=[(f, f.upper()) for f in FORMATS],
        initial=list(FORMATS),
        widget=forms.CheckboxSelectMultiple,
    )


class ReportsView(AnalystRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/admin/reports.html"
    page_title = gettext_lazy("Vendor reports")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        runs = ReportRun.objects.select_related("campaign", "vendor", "requested_by")[:20]
        context.update(
            form=form or ReportRunForm(),
            runs=runs,
            releases={r.campaign_id: r for r in ReportRelease.objects.select_related("released_by")},
            # While a run is under way the page refreshes itself: progress without JavaScript.
            refresh=any(r.status in (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING) for r in runs),
            Status=ReportRun.Status,
        )
        return context

    def post(self, request):
        form = ReportRunForm(request.POST)
        if form.is_valid():
            try:
                request_report_run(
                    campaign=form.cleaned_data["campaign"],
                    vendor=form.cleaned_data["vendor"],
                    formats=form.cleaned_data["formats"],
                    requested_by=request.user,
                )
            except ReportRequestRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The reports are being made; this page follows their progress."))
                return redirect("cms_reports:index")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RunView(AnalystRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/admin/report_run.html"
    page_title = gettext_lazy("Report run")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = get_object_or_404(ReportRun.objects.select_related("campaign", "vendor"), pk=kwargs["pk"])
        context.update(
            run=run,
            files=run.files.select_related("vendor"),
            refresh=run.status in (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING),
        )
        return context


class DownloadView(AnalystRequiredMixin, View):
    def get(self, request, pk):
        return send_report_file(get_object_or_404(ReportFile, pk=pk))


class ReleaseView(AnalystRequiredMixin, View):
    def post(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        if request.POST.get("action") == "withdraw":
            withdraw_reports(campaign=campaign, withdrawn_by=request.user)
            messages.success(request, _("The vendors no longer see the reports of %(c)s.") % {"c": campaign})
        else:
            release_reports(campaign=campaign, released_by=request.user)
            messages.success(
                request, _("The vendors can now download the reports of %(c)s.") % {"c": campaign}
            )
        return redirect("cms_reports:index")


def send_report_file(record):
    """Return `record` as a download, or 404 when its file is missing from the storage."""
    try:
        handle = record.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("This report file is no longer stored.")) from missing
    return FileResponse(handle, as_attachment=True, filename=record.name.replace("/", "-"))


urlpatterns = [
    path("", ReportsView.as_view(), name="index"),
    path("runs/<int:pk>/", RunView.as_view(), name="run"),
    path("files/<int:pk>/", DownloadView.as_view(), name="download"),
    path("campaigns/<int:pk>/release/", ReleaseView.as_view(), name="release"),
]
