from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "surveys"

urlpatterns = [
    path("compte/connexion/", auth_views.LoginView.as_view(template_name="surveys/login.html"), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
]
