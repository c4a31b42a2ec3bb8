"""The space's demo extension, on a small platform: what the issue's "done when" asks."""

from decimal import Decimal

from tests.factories import make_tribe
from tribu.agents.models import AgentKind
from tribu.ledger.models import EconomicEvent
from tribu.platforms.models import Role
from tribu.platforms.services import add_agent
from tribu.spaces import demo
from tribu.spaces.models import Booking, Invoice, ResidencyAgreement


def test_le_sentier_gets_rooms_bookings_gatherings_and_a_paid_invoice_in_the_ledger(db):
    tribe = make_tribe("le-sentier")
    for slug in ("banque-horizon", "assurances-arc"):
        add_agent(tribe.platform, slug=slug, name=slug, kind=AgentKind.ORGANIZATION)
    demo.extend({"le-sentier": tribe.platform}, log=lambda message: None)
    host_events = EconomicEvent.objects.filter(platform=tribe.platform, receiver=tribe.host)
    nights = host_events.get(unit="night")
    assert nights.resource_quantity == Decimal(3)
    assert Booking.objects.get(pk=nights.source.split(":")[1]).note.startswith("Minh")
    apero = host_events.get(unit="day")
    assert apero.source.startswith("booking:")
    revenue = host_events.get(action="transfer")
    assert revenue.money_amount == Decimal("2400.00")
    assert revenue.source == f"invoice:{Invoice.objects.get(number=1).pk}"
    assert list(Invoice.objects.values_list("number", flat=True)) == [1, 2]
    assert Booking.objects.filter(platform=tribe.platform, end__gt=nights.has_end).exists()


def test_open_residence_residents_get_their_agreements(db):
    tribe = make_tribe("open-residence")
    tribe.alice.bio = "Résidence : du 2026-05-01, 8 mois ; 5 jours de contribution par mois"
    tribe.alice.save()
    add_agent(
        tribe.platform,
        slug="ancien",
        name="Ancien",
        role=Role.ALUMNI,
        bio="Résidence : du 2025-09-01, 4 mois ; 4 jours de contribution par mois",
    )
    demo.extend({"open-residence": tribe.platform}, log=lambda message: None)
    terms = {
        a.resident.slug: (str(a.start), str(a.end), a.days_owed_per_month)
        for a in ResidencyAgreement.objects.all()
    }
    assert terms == {
        "alice": ("2026-05-01", "2027-01-01", Decimal(5)),
        "ancien": ("2025-09-01", "2026-01-01", Decimal(4)),
    }
