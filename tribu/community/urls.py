from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(P + "join/", views.join, name="community-join"),
    path(P + "joining/", views.applications, name="community-applications"),
    path(P + "joining/<int:pk>/", views.application_detail, name="community-application"),
    path(P + "joining/<int:pk>/vouch/", views.vouch, name="community-vouch"),
    path(P + "joining/<int:pk>/concern/", views.concern, name="community-concern"),
    path(
        P + "concerns/<int:pk>/withdraw/", views.concern_withdraw, name="community-concern-withdraw"
    ),
    path(P + "concerns/<int:pk>/decide/", views.concern_decide, name="community-concern-decide"),
    path(P + "leave/", views.leave, name="community-leave"),
    path(P + "members/", views.member_list, name="community-members"),
    path(P + "members/me/", views.my_agent, name="community-me"),
    path(P + "members/me/edit/", views.profile_edit, name="community-profile-edit"),
    path(P + "members/<slug:agent_slug>/", views.member_detail, name="community-member"),
    path(P + "projects/new/", views.project_edit, name="community-project-new"),
    path(P + "projects/<int:pk>/", views.project_detail, name="community-project"),
    path(P + "projects/<int:pk>/edit/", views.project_edit, name="community-project-edit"),
    path(P + "intents/", views.intent_list, name="community-intents"),
    path(P + "intents/<int:pk>/", views.intent_detail, name="community-intent"),
    path(P + "intents/<int:pk>/withdraw/", views.intent_withdraw, name="community-intent-withdraw"),
    path(P + "matches/<int:pk>/helped/", views.match_helped, name="community-match-helped"),
    path(P + "matches/<int:pk>/dismiss/", views.match_dismiss, name="community-match-dismiss"),
    path(
        P + "matches/events/<int:event_id>/confirm/",
        views.event_confirm,
        name="community-event-confirm",
    ),
    path(P + "charter/", views.charter, name="community-charter"),
    path(P + "charter/propose/", views.charter_propose, name="community-charter-propose"),
    path(
        P + "charter/proposals/<int:pk>/", views.charter_proposal, name="community-charter-proposal"
    ),
    path(
        P + "charter/proposals/<int:pk>/comment/",
        views.charter_comment,
        name="community-charter-comment",
    ),
    path(
        P + "charter/proposals/<int:pk>/decide/",
        views.proposal_decide,
        name="community-charter-decide",
    ),
    path(
        P + "charter/objections/<int:pk>/withdraw/",
        views.objection_withdraw,
        name="community-objection-withdraw",
    ),
    path(P + "facilitation/", views.facilitator_dashboard, name="community-dashboard"),
    path(P + "facilitation/introductions/", views.introduce, name="community-introduce"),
    path(P + "notifications/", views.notifications, name="community-notifications"),
]
