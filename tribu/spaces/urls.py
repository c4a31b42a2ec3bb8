from django.urls import path

from . import views

P = "p/<slug:slug>/"

urlpatterns = [
    path(P + "space/", views.calendar, name="spaces-calendar"),
    path(P + "space/r/<slug:resource>/", views.calendar, name="spaces-resource-calendar"),
    path(P + "space/resources/", views.resources, name="spaces-resources"),
    path(P + "space/book/", views.book, name="spaces-book"),
    path(P + "space/bookings/", views.my_bookings, name="spaces-my-bookings"),
    path(
        P + "space/bookings/<int:booking_id>/cancel/",
        views.cancel_booking,
        name="spaces-booking-cancel",
    ),
    path(P + "space/calendar-token/", views.regenerate_feed, name="spaces-feed-regenerate"),
    path(P + "space/bookings/<str:token>.ics", views.bookings_ics, name="spaces-bookings-ics"),
    path(P + "gatherings/", views.gatherings, name="spaces-gatherings"),
    path(P + "gatherings.ics", views.gatherings_ics, name="spaces-gatherings-ics"),
    path(P + "gatherings/new/", views.new_gathering, name="spaces-gathering-new"),
    path(P + "gatherings/<int:gathering_id>/", views.gathering, name="spaces-gathering"),
    path(
        P + "gatherings/<int:gathering_id>/register/",
        views.register,
        name="spaces-gathering-register",
    ),
    path(
        P + "gatherings/<int:gathering_id>/cancel/",
        views.cancel_gathering,
        name="spaces-gathering-cancel",
    ),
    path(
        P + "registrations/<int:registration_id>/cancel/",
        views.cancel_registration,
        name="spaces-registration-cancel",
    ),
    path(
        P + "registrations/<int:registration_id>/check-in/", views.check_in, name="spaces-check-in"
    ),
    path(P + "invoices/", views.invoices, name="spaces-invoices"),
    path(P + "invoices/details/", views.invoicing, name="spaces-invoicing"),
    path(P + "invoices/<int:invoice_id>.pdf", views.invoice_download, name="spaces-invoice-pdf"),
    path(P + "invoices/<int:invoice_id>/paid/", views.invoice_paid, name="spaces-invoice-paid"),
    path(P + "residency/", views.residency_list, name="spaces-residency-list"),
    path(P + "residency/<slug:agent_slug>/", views.residency_page, name="spaces-residency"),
    path(P + "residency/<slug:agent_slug>/contribute/", views.contribute, name="spaces-contribute"),
    path(
        P + "residency/<slug:agent_slug>/agreement/",
        views.new_agreement,
        name="spaces-agreement-new",
    ),
]
