"""Subscribe to another instance's observatory feed."""

from django.core.management.base import BaseCommand, CommandError

from tribu.core.errors import TribuError
from tribu.observatory import services


class Command(BaseCommand):
    help = "Add another instance's feed (…/observatory/feed.json) to the subscriptions."

    def add_arguments(self, parser):
        parser.add_argument("url")

    def handle(self, *args, url, **options):
        try:
            subscription = services.subscribe(url)
        except TribuError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"subscribed to {subscription.url}")
