from django.urls import path

from .views import accounts, comment_reports, privacy, survey
from .views import pro_sante_connect as psc

app_name = "surveys"

urlpatterns = [
    path("compte/", accounts.account, name="account"),
    path("compte/inscription/", accounts.sign_up, name="signup"),
    path("compte/confirmation/renvoyer/", accounts.resend_confirmation, name="resend_confirmation"),
    path("compte/confirmation/<str:token>/", accounts.confirm, name="confirm_email"),
    path("compte/connexion/", accounts.sign_in, name="login"),
    path("compte/deconnexion/", psc.sign_out, name="logout"),
    path("compte/pro-sante-connect/", psc.start, name="psc_start"),
    path("compte/pro-sante-connect/retour/", psc.callback, name="psc_callback"),
    path("compte/pro-sante-connect/bienvenue/", psc.welcome, name="psc_welcome"),
    path("compte/pro-sante-connect/lier/", psc.link_existing, name="psc_link"),
    path("compte/pro-sante-connect/delier/", psc.unlink_account, name="psc_unlink"),
    path("compte/mot-de-passe/oubli/", accounts.password_reset, name="password_reset"),
    path("compte/mot-de-passe/oubli/envoye/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "compte/mot-de-passe/nouveau/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/nouveau/termine/",
        accounts.password_reset_complete,
        name="password_reset_complete",
    ),
    path("compte/mot-de-passe/", accounts.password_change, name="password_change"),
    path("compte/mot-de-passe/modifie/", accounts.password_change_done, name="password_change_done"),
    path("compte/liens-d-interets/", privacy.conflicts, name="conflicts"),
    path("compte/mes-donnees/", privacy.export_data, name="export_data"),
    path("compte/suppression/", privacy.delete, name="delete_account"),
    path("mes-evaluations/", survey.my_ratings, name="my_ratings"),
    path("enquete/", survey.survey_home, name="survey"),
    path("enquete/<slug:slug>/", survey.campaign_detail, name="campaign"),
    path("enquete/<slug:slug>/outils/", survey.pick_tools, name="pick_tools"),
    path("enquete/<slug:slug>/outils/<slug:product_slug>/", survey.rate_tool, name="rate_tool"),
    path("avis/<int:pk>/signaler/", comment_reports.report_comment, name="report_comment"),
]
