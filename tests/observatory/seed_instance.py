"""Run by the loopback test in a second instance: one platform, one year of flows, published.

Prints the published document's id.
"""

import django

django.setup()

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

from tests.factories import flow, make_tribe, record  # noqa: E402
from tribu.ledger.services import confirm_event, record_event  # noqa: E402
from tribu.observatory.services import publish  # noqa: E402


def main() -> None:
    tribe = make_tribe("instance-a")
    rent = flow(tribe, "rent", tribe.host, tribe.landlord, 12, money_amount=Decimal(18000))
    record_event(tribe.platform, tribe.hana, rent, system=True)
    nights = record(tribe, tribe.alice, "hotel-night", tribe.alice, tribe.host, 40)
    confirm_event(nights, tribe.hana)
    print(publish(tribe.platform, date(2026, 3, 10).year).doc_id)


if __name__ == "__main__":
    main()
