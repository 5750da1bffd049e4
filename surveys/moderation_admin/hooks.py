"""The moderation pages' place in the Wagtail admin: their URLs and their menu, for moderators only.

`surveys/wagtail_hooks.py`, the module Wagtail discovers, imports this one.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from surveys.services.moderation import can_moderate


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderation/", include("surveys.moderation_admin.urls", namespace="surveys_moderation"))]


@hooks.register("register_admin_menu_item")
def register_moderation_menu():
    items = [
        ModeratorMenuItem(
            _("Comments to moderate"), reverse("surveys_moderation:queue"), icon_name="comment", order=1
        ),
        ModeratorMenuItem(
            _("Fraud signals"), reverse("surveys_moderation:flags"), icon_name="warning", order=2
        ),
    ]
    return SubmenuMenuItem(_("Moderation"), Menu(items=items), icon_name="comment", order=250)
