"""Pull every subscription's feed; run it hourly. Idempotent: a second run stores nothing."""

from django.core.management.base import BaseCommand

from tribu.observatory import services


class Command(BaseCommand):
    help = "Fetch every subscribed feed and keep the documents that pass every check."

    def handle(self, *args, **options):
        for url, (stored, refused) in services.pull_all().items():
            self.stdout.write(f"{url}: {stored} new, {refused} refused")
