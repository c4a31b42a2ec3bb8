from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("me/", views.profile, name="profile"),
    path("me/to-confirm/", views.to_confirm, name="to-confirm"),
]
