from django.urls import path

from . import views

urlpatterns = [
    path("outils/", views.product_list, name="product_list"),
    path("outils/<slug:slug>/", views.product_detail, name="product_detail"),
    path("editeurs/<slug:slug>/", views.vendor_detail, name="vendor_detail"),
    path("classements/", views.rankings, name="rankings"),
    path("comparer/", views.compare, name="compare"),
    path("espace-editeur/", views.vendor_reports, name="vendor_reports"),
    path("espace-editeur/<slug:slug>/reponse/", views.vendor_reply, name="vendor_reply"),
    path("espace-editeur/<slug:slug>/scores.csv", views.vendor_report_export, name="vendor_report_export"),
    path("methodologie/", views.methodology_redirect, name="methodology_redirect"),
]
