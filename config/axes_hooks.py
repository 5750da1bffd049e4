"""django-axes hooks, named in the settings."""

from django.conf import settings

# AccessAttempt.username and the failure logs are varchar(255): PostgreSQL refuses a longer name (a
# 500), and Django's AuthenticationForm does not cap what it passes to authenticate().
USERNAME_COLUMN_LENGTH = 255


def username(request, credentials=None):
    """Return the sign-in name axes records and locks on, cut to the length of its column."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        name = credentials.get(field)
    else:
        name = getattr(request, "data", request.POST).get(field)
    return name[:USERNAME_COLUMN_LENGTH] if isinstance(name, str) else name
