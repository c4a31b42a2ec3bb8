"""Run daily (cron or a systemd timer): each monthly schedule of declared costs records the
months that have come, once each; the costs page does the same when a steward opens it."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tribu.ledger.declared import catch_up
from tribu.platforms.models import Platform


class Command(BaseCommand):
    help = "Record the monthly flows of declared recurring costs that have come due."

    def add_arguments(self, parser):
        parser.add_argument("--platform", help="only this platform's slug")

    def handle(self, *args, platform=None, **options):
        platforms = Platform.objects.all()
        if platform:
            platforms = platforms.filter(slug=platform)
        for each in platforms:
            made = catch_up(each)
            self.stdout.write(
                _("%(slug)s: %(n)s monthly flow(s) recorded") % {"slug": each.slug, "n": made}
            )
