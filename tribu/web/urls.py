from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("me/", views.profile, name="profile"),
    path("me/to-confirm/", views.to_confirm, name="to-confirm"),
    path("p/<slug:slug>/", views.platform_detail, name="platform-detail"),
    path("p/<slug:slug>/ledger/", views.ledger, name="ledger"),
    path("p/<slug:slug>/ledger/new/", views.event_record, name="event-record"),
    path("p/<slug:slug>/ledger/<int:event_id>/", views.event_detail, name="event-detail"),
    path("p/<slug:slug>/ledger/<int:event_id>/confirm/", views.event_confirm, name="event-confirm"),
    path("p/<slug:slug>/ledger/<int:event_id>/dispute/", views.event_dispute, name="event-dispute"),
    path("p/<slug:slug>/ledger/<int:event_id>/correct/", views.event_correct, name="event-correct"),
    path("p/<slug:slug>/balance/", views.balance_sheet, name="balance-sheet"),
    path("p/<slug:slug>/balance.csv", views.balance_csv, name="balance-csv"),
    path("p/<slug:slug>/balance.xlsx", views.balance_xlsx, name="balance-xlsx"),
    path("p/<slug:slug>/balance/<slug:spec_slug>/", views.balance_line, name="balance-line"),
    path("p/<slug:slug>/flows/", views.flow_map, name="flow-map"),
    path("p/<slug:slug>/roles/", views.members, name="members"),
    path("p/<slug:slug>/catalogue/", views.catalogue, name="catalogue"),
    path(
        "p/<slug:slug>/catalogue/v<int:number>/", views.catalogue_version, name="catalogue-version"
    ),
    path("p/<slug:slug>/catalogue/<slug:spec_slug>/", views.catalogue_edit, name="catalogue-edit"),
]
