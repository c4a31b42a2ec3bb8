from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:slug>/", views.platform_detail, name="platform-detail"),
]
