"""The moderation pages' URLs, mounted under /admin/moderation/ by `hooks.py`."""

from django.urls import path

from .views import DecisionView, FlagListView, QueueView, ResolveFlagView, ResponseDetailView

app_name = "surveys_moderation"

urlpatterns = [
    path("", QueueView.as_view(), name="queue"),
    path("reponses/<int:pk>/", ResponseDetailView.as_view(), name="response"),
    path("reponses/<int:pk>/publier/", DecisionView.as_view(decision="approve"), name="approve"),
    path("reponses/<int:pk>/refuser/", DecisionView.as_view(decision="reject"), name="reject"),
    path(
        "reponses/<int:pk>/garder/",
        DecisionView.as_view(decision="dismiss_reports"),
        name="dismiss_reports",
    ),
    path("reponses/<int:pk>/exclure/", DecisionView.as_view(decision="exclude"), name="exclude"),
    path("reponses/<int:pk>/reintegrer/", DecisionView.as_view(decision="restore"), name="restore"),
    path("signalements/", FlagListView.as_view(), name="flags"),
    path("signalements/<int:pk>/resolu/", ResolveFlagView.as_view(), name="resolve_flag"),
]
