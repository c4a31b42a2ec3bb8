from django.apps import AppConfig
from django.db.models.signals import post_migrate


def make_key(sender, using="default", **kwargs):
    """The instance's key pair is made at first start, right after its first migration."""
    from .models import InstanceKey
    from .signing import instance_key

    if not InstanceKey.objects.using(using).exists() and using == "default":
        instance_key()


class ObservatoryConfig(AppConfig):
    name = "tribu.observatory"
    label = "observatory"
    verbose_name = "Observatory"

    def ready(self):
        post_migrate.connect(make_key, sender=self)
