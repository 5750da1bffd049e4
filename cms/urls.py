from django.urls import path

from .feeds import ArticleFeed, ExpertReviewFeed
from .views import (
    catalogue,
    compare,
    discovery,
    methodology,
    open_data,
    rankings,
    review_drafts,
    search,
    vendor_space,
)

app_name = "cms"

urlpatterns = [
    path("outils/", catalogue.product_list, name="product_list"),
    path("outils/<slug:slug>/", catalogue.product_detail, name="product_detail"),
    path("editeurs/<slug:slug>/", catalogue.vendor_detail, name="vendor_detail"),
    path("classements/", rankings.rankings, name="rankings"),
    path("classements/<slug:slug>/", rankings.category_ranking, name="category_ranking"),
    path("comparer/", compare.compare, name="compare"),
    path("recherche/", search.search, name="search"),
    path("espace-editeur/", vendor_space.vendor_reports, name="vendor_reports"),
    path("espace-editeur/avant-publication/", review_drafts.review_draft_list, name="review_drafts"),
    path(
        "espace-editeur/avant-publication/<int:pk>/", review_drafts.review_draft_detail, name="review_draft"
    ),
    path(
        "espace-editeur/avant-publication/<int:pk>/reponse/",
        review_drafts.review_draft_answer,
        name="review_draft_answer",
    ),
    path("espace-editeur/<slug:slug>/reponse/", vendor_space.vendor_reply, name="vendor_reply"),
    path(
        "espace-editeur/<slug:slug>/scores.csv",
        vendor_space.vendor_report_export,
        name="vendor_report_export",
    ),
    path("espace-editeur/rapports/<int:pk>/", vendor_space.vendor_report_file, name="vendor_report_file"),
    path("methodologie/", methodology.methodology_redirect, name="methodology_redirect"),
    path("badges/<slug:slug>.svg", discovery.badge, name="badge"),
    path("donnees/", open_data.index, name="open_data"),
    path("donnees/reproduce_scores.py", open_data.reproduction_script, name="open_data_script"),
    path("donnees/<slug:campaign>/<str:name>", open_data.download, name="open_data_file"),
    path("flux/tests.atom", ExpertReviewFeed(), name="review_feed"),
    path("flux/articles.atom", ArticleFeed(), name="article_feed"),
]
