from django.urls import path

from . import views

urlpatterns = [
    path("me/tokens/", views.my_tokens, name="my-tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke, name="revoke-token"),
]
