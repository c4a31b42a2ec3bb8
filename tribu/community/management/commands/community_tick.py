"""Run periodically (say hourly, from cron or a systemd timer): ends trial periods that ran
out, adopts charter proposals whose advice period passed with no standing objection, and
sends the weekly digests that are due."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tribu.community.services import tick
from tribu.platforms.models import Platform


class Command(BaseCommand):
    help = "End expired trials, adopt due charter proposals, send weekly digests."

    def add_arguments(self, parser):
        parser.add_argument("--platform", help="only this platform's slug")

    def handle(self, *args, platform=None, **options):
        platforms = Platform.objects.all()
        if platform:
            platforms = platforms.filter(slug=platform)
        for each in platforms:
            done = tick(each)
            self.stdout.write(
                _(
                    "%(slug)s: %(expired)s trial(s) ended, %(adopted)s charter "
                    "version(s) adopted, %(digests)s digest(s) sent"
                )
                % {"slug": each.slug, **done}
            )
