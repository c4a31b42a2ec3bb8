from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(P + "balance/", views.balance_sheet, name="balance-sheet"),
    path(P + "balance.csv", views.balance_csv, name="balance-csv"),
    path(P + "balance.xlsx", views.balance_xlsx, name="balance-xlsx"),
    path(P + "balance/<slug:spec_slug>/", views.balance_line, name="balance-line"),
    path(P + "flows/", views.flow_map, name="flow-map"),
]
