"""Publish (or withdraw) a platform's indicator document for one year."""

from django.core.management.base import BaseCommand, CommandError

from tribu.core.errors import TribuError
from tribu.observatory import services
from tribu.platforms.models import Platform


class Command(BaseCommand):
    help = "Sign and publish a platform's indicators for a year (or withdraw them)."

    def add_arguments(self, parser):
        parser.add_argument("platform", help="the platform's slug")
        parser.add_argument("year", type=int)
        parser.add_argument("--withdraw", action="store_true", help="withdraw instead")

    def handle(self, *args, platform, year, withdraw=False, **options):
        scope = Platform.objects.filter(slug=platform).first()
        if scope is None:
            raise CommandError(f"no platform “{platform}”")
        try:
            if withdraw:
                done = services.withdraw(scope, year)
            else:
                done = services.publish(scope, year)
        except TribuError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(done.doc_id)
