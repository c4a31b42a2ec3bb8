from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from tribu.api.main import api

handler500 = "tribu.api.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("tribu.platforms.urls")),
    path("", include("tribu.community.urls")),
    path("", include("tribu.spaces.urls")),
    path("", include("tribu.observatory.urls")),
    path("", include("tribu.forecasts.urls")),
    path("", include("tribu.dossiers.urls")),
    path("", include("tribu.ledger.urls")),
    path("", include("tribu.reports.urls")),
    path("", include("tribu.web.urls")),
    path("", include("tribu.api.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
