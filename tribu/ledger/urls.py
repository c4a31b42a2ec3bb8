from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(P + "ledger/", views.ledger, name="ledger"),
    path(P + "ledger/new/", views.event_record, name="event-record"),
    path(P + "ledger/<int:event_id>/", views.event_detail, name="event-detail"),
    path(P + "ledger/<int:event_id>/confirm/", views.event_confirm, name="event-confirm"),
    path(P + "ledger/<int:event_id>/dispute/", views.event_dispute, name="event-dispute"),
    path(P + "ledger/<int:event_id>/correct/", views.event_correct, name="event-correct"),
    path(P + "catalogue/", views.catalogue, name="catalogue"),
    path(P + "catalogue/v<int:number>/", views.catalogue_version, name="catalogue-version"),
    path(P + "catalogue/<slug:spec_slug>/", views.catalogue_edit, name="catalogue-edit"),
]
