from django.urls import path

from . import views

urlpatterns = [
    path("p/<slug:slug>/dossier/", views.dossier, name="dossier-form"),
    path("p/<slug:slug>/dossier/<slug:kind>.pdf", views.dossier, name="dossier"),
]
