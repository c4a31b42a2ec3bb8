"""Record in the ledger every booking that took place; safe to run as often as wanted."""

from django.core.management.base import BaseCommand, CommandError

from tribu.platforms.models import Platform
from tribu.spaces.services import bookings_to_ledger


class Command(BaseCommand):
    help = "Turn bookings that took place into `use` events (each exactly once)."

    def add_arguments(self, parser):
        parser.add_argument("--platform", help="only this platform (its slug)")

    def handle(self, *args, platform=None, **options):
        scope = None
        if platform:
            scope = Platform.objects.filter(slug=platform).first()
            if scope is None:
                raise CommandError(f"no platform “{platform}”")
        created = bookings_to_ledger(platform=scope)
        if options["verbosity"]:
            self.stdout.write(f"{created} booking(s) recorded in the ledger")
