from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path("start/", views.start, name="platforms-start"),
    path(P, views.platform_detail, name="platform-detail"),
    path(P + "roles/", views.members, name="members"),
    path(P + "settings/", views.settings, name="platforms-settings"),
    path(P + "settings/status/", views.change_status, name="platforms-status"),
    path(P + "settings/trial/", views.trial_areas, name="platforms-trial"),
    path(P + "invitations/", views.invitations, name="platforms-invitations"),
    path(P + "costs/", views.costs, name="platforms-costs"),
    path(P + "photo/", views.photo, name="platforms-photo"),
    path(P + "photo.jpg", views.photo_file, name="platforms-photo-file"),
    path("invite/<str:token>/", views.invitation, name="platforms-invitation"),
]
