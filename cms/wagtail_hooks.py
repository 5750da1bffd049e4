"""The site's pages in the Wagtail admin: the analysts' vendor reports."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from analytics.admin_views import can_read_scores

from . import admin_reports


class AnalystMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_scores(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/", include(admin_reports, namespace="cms_reports"))]


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return AnalystMenuItem(_("Vendor reports"), reverse("cms_reports:index"), icon_name="doc-full", order=265)
