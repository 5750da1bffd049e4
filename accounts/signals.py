from django.contrib.auth.models import Group, Permission

from .roles import ROLE_PERMISSIONS


def sync_role_permissions(**kwargs):
    """Give each role group exactly its permissions; runs after every migrate, so it is idempotent."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
