"""`check --deploy`: production needs the static files collected, manifest included."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Error, Tags, register


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs):
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.exists(storage.manifest_name):
        return []
    return [
        Error(
            f"the static files are not collected in {settings.STATIC_ROOT}: every page "
            "would be a server error",
            hint="run: python manage.py collectstatic --noinput",
            id="tribu.E001",
        )
    ]
