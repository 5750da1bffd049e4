"""Template context of the survey app's pages."""

from surveys.services.pro_sante_connect import configured


def pro_sante_connect(request):
    """`psc_enabled`: whether the sign-in and sign-up pages offer Pro Santé Connect."""
    return {"psc_enabled": configured()}
