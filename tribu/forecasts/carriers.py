"""What each kind of carrier may expect from a value platform: a template of benefit
lines, named by the catalogue's specifications (the founding text's list for a company
host). Central quantities are per year, for a place of about twenty desks; low and high
default to half and one and a half times the central value. Founders change them all.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

HOST, SPONSOR, COMMUNITY, PORTFOLIO, CAUSE = "host", "sponsor", "community", "portfolio", "cause"

STAKEHOLDERS = {
    HOST: _("the host"),
    SPONSOR: _("the sponsor"),
    COMMUNITY: _("the community"),
    PORTFOLIO: _("the portfolio companies"),
    CAUSE: _("the Cause"),
}

# (specification, who receives it, central quantity per year, market price per unit when
# the catalogue has none: billed learning expeditions are priced by the carrier).
TEMPLATES: dict[str, list[tuple[str, str, int, int | None]]] = {
    # The founding text's seven benefits for a company host.
    "company_host": [
        ("hotel-night", HOST, 60, None),
        ("event-space-day", HOST, 8, None),
        ("desk-month", HOST, 36, None),
        ("learning-expedition", HOST, 10, 2500),
        ("business-referral", HOST, 40000, None),
        ("press-coverage", HOST, 3, None),
        ("volunteer-hour", HOST, 80, None),
    ],
    # What the sponsor and the community receive from an association's place.
    "activist_association": [
        ("event-space-day", SPONSOR, 6, None),
        ("learning-expedition", SPONSOR, 6, 2000),
        ("meeting-room-hour", SPONSOR, 60, None),
        ("press-coverage", SPONSOR, 4, None),
        ("day-pass", COMMUNITY, 2000, None),
        ("volunteer-hour", COMMUNITY, 1500, None),
    ],
    # Synergies between portfolio companies and with the host.
    "investor": [
        ("business-referral", PORTFOLIO, 60000, None),
        ("desk-month", PORTFOLIO, 48, None),
        ("meeting-room-hour", PORTFOLIO, 80, None),
        ("event-space-day", HOST, 6, None),
        ("volunteer-hour", PORTFOLIO, 200, None),
    ],
    # The Cause's outcomes, for a patron or a foundation.
    "patron_foundation": [
        ("day-pass", CAUSE, 2500, None),
        ("volunteer-hour", CAUSE, 2000, None),
        ("event-space-day", CAUSE, 10, None),
        ("in-kind-goods", CAUSE, 5000, None),
    ],
    "community_lab": [
        ("day-pass", COMMUNITY, 1500, None),
        ("volunteer-hour", COMMUNITY, 1200, None),
        ("meeting-room-hour", COMMUNITY, 100, None),
        ("in-kind-goods", COMMUNITY, 3000, None),
    ],
}

LOW, HIGH = Decimal("0.5"), Decimal("1.5")


def template_lines(carrier: str) -> list[dict]:
    """The template's lines as forecast entry lines (quantities low / central / high)."""
    lines = []
    for key, stakeholder, central, price in TEMPLATES[carrier]:
        central = Decimal(central)
        line = {
            "key": key,
            "stakeholder": stakeholder,
            "quantity": {
                "low": format((central * LOW).normalize(), "f"),
                "central": str(central),
                "high": format((central * HIGH).normalize(), "f"),
            },
        }
        if price is not None:
            line["price"] = str(price)
        lines.append(line)
    return lines
