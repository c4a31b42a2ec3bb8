from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("me/", views.profile, name="profile"),
    path("me/to-confirm/", views.to_confirm, name="to-confirm"),
    path("p/<slug:slug>/", views.platform_detail, name="platform-detail"),
    path("p/<slug:slug>/balance/", views.balance_sheet, name="balance-sheet"),
    path("p/<slug:slug>/balance.csv", views.balance_csv, name="balance-csv"),
    path("p/<slug:slug>/balance.xlsx", views.balance_xlsx, name="balance-xlsx"),
    path("p/<slug:slug>/balance/<slug:spec_slug>/", views.balance_line, name="balance-line"),
    path("p/<slug:slug>/flows/", views.flow_map, name="flow-map"),
    path("p/<slug:slug>/roles/", views.members, name="members"),
]
