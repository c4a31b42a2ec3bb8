from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(P + "forecast/", views.forecast, name="forecast"),
    path(P + "forecast/new/", views.new_forecast, name="forecast-new"),
    path(P + "forecast/v<int:number>/", views.forecast, name="forecast-version"),
    path(P + "forecast/v<int:number>/actual/", views.forecast_actual, name="forecast-actual"),
]
