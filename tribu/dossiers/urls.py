from django.urls import path

from . import views

urlpatterns = [
    path("p/<slug:slug>/dossier/", views.dossier, name="dossier-form"),
    path("p/<slug:slug>/dossier/<slug:kind>.pdf", views.dossier, name="dossier"),
    path(
        "p/<slug:slug>/ledger/<int:event_id>/receipt.pdf", views.gift_receipt, name="gift-receipt"
    ),
    path("p/<slug:slug>/funders/", views.funders, name="funders"),
    path("p/<slug:slug>/funders/<int:link_id>/revoke/", views.revoke_funder, name="funder-revoke"),
    path("share/<str:token>/", views.shared, name="shared"),
    path("share/<str:token>/dossier/<slug:kind>.pdf", views.shared_dossier, name="shared-dossier"),
]
