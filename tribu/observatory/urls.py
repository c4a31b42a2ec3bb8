from django.urls import path

from . import views

P = "p/<slug:slug>/observatory/"

urlpatterns = [
    path(P, views.publication, name="observatory-publication"),
    path(P + "publish/", views.publish, name="observatory-publish"),
    path(P + "withdraw/", views.withdraw, name="observatory-withdraw"),
    path("observatory/", views.observatory, name="observatory"),
    path("observatory/map/", views.landscape, name="observatory-map"),
    path("observatory/documents/", views.documents, name="observatory-documents"),
    path("observatory/key.json", views.key, name="observatory-key"),
    path("observatory/feed.json", views.feed, name="observatory-feed"),
    path(
        "observatory/commune-mesure/<path:doc_id>.json",
        views.document_commune_mesure,
        name="observatory-commune-mesure",
    ),
    path("observatory/documents/<path:doc_id>.json", views.document, name="observatory-document"),
]
