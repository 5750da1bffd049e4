"""Editors write the site: page permissions on the whole tree and image/document rights on the root
collection. Wagtail keeps these per page and per collection, so a role's model permissions
(accounts/roles.py) cannot express them; this runs after every migrate and is idempotent."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def grant_editor_permissions(**kwargs):
    editors = Group.objects.filter(name="editor").first()
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    if editors is None or root is None or collection is None:
        return
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=permission)
    for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=collection, permission=permission
            )
