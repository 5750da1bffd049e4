"""Template context of the survey app's pages."""

from django.conf import settings


def pro_sante_connect(request):
    """`psc_enabled`: whether the sign-in and sign-up pages offer Pro Santé Connect."""
    conf = settings.PRO_SANTE_CONNECT
    return {"psc_enabled": bool(conf["DISCOVERY_URL"] and conf["CLIENT_ID"] and conf["CLIENT_SECRET"])}
