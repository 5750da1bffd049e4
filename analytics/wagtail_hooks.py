from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class AnalystMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_read_scores(request.user)


@hooks.register("register_admin_urls")
def register_scores_urls():
    return [path("scores/", include(admin_views, namespace="analytics_admin"))]


@hooks.register("register_admin_menu_item")
def register_scores_menu():
    return AnalystMenuItem(_("Scores"), reverse("analytics_admin:scores"), icon_name="table", order=260)
