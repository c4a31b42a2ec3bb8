"""The market tier line by line, and what would make a balance sheet pay off.

The ledger gives each market kind's quantity and money; the valuation engine
(`tribu.valuation.breakeven`) gives every break-even figure.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from tribu.core.formats import format_measure, format_money
from tribu.ledger.models import ResourceSpecification
from tribu.valuation.balance import BalanceLine
from tribu.valuation.breakeven import Lever, balance_levers, break_even

from .aggregates import Period, sums_for

RENT = "rent"  # the catalogue's lease: the cost the break-even rent answers for


def market_items(platform, agent, period: Period, language: str) -> dict[str, list[dict]]:
    """What the agent billed ("revenue") and paid ("costs") in money, kind by kind."""
    specs = {s.pk: s for s in ResourceSpecification.objects.filter(platform=platform, market=True)}
    items = {}
    for group, side in (("revenue", "receiver"), ("costs", "provider")):
        sums = sums_for(platform.pk, agent.pk, side, period)
        rows = [
            {
                "key": specs[k].slug,
                "label": specs[k].name(language),
                "unit": specs[k].unit,
                "quantity": format(s.quantity.normalize(), "f"),
                "amount": f"{s.money:.2f}",
                "event_count": s.events,
                "side": side,
            }
            for k, s in sums.items()
            if k in specs
        ]
        items[group] = sorted(rows, key=lambda row: row["key"])
    return items


def _market_lever(item: dict) -> Lever | None:
    quantity, amount = Decimal(item["quantity"]), Decimal(item["amount"])
    if not quantity:
        return None
    # More of the same kind at today's average price.
    return Lever(item["key"], item["label"], item["unit"], quantity, amount / quantity)


def _rent(item: dict | None, currency: str) -> tuple[Lever | None, Decimal]:
    if item is None:
        return None, Decimal(0)
    lever = Lever(item["key"], item["label"], currency, Decimal(item["amount"]), Decimal(1), "cost")
    return lever, Decimal(item["quantity"])


def payoff(sheet: dict, lines: list[BalanceLine], market: dict[str, list[dict]]) -> dict:
    """Break-even answers for a balance sheet built from ``lines`` and ``market``."""
    levers = balance_levers(lines)
    levers += [lever for item in market["revenue"] if (lever := _market_lever(item))]
    rent_item = next((item for item in market["costs"] if item["key"] == RENT), None)
    rent, months = _rent(rent_item, sheet["currency"])
    extended = sheet["extended"]
    result = break_even(Decimal(extended["benefits"]), Decimal(extended["costs"]), levers, rent)
    if result["rent"] is not None:
        result["rent"]["months"] = format(months.normalize(), "f")
        if months and result["rent"]["needed"] is not None:
            per_month = Decimal(result["rent"]["needed"]) / months
            result["rent"]["needed_per_month"] = f"{per_month:.2f}"
            result["rent"]["per_month"] = f"{Decimal(rent_item['amount']) / months:.2f}"
    return result


def _line_text(line: dict) -> str:
    if line["needed"] is None:
        return _("%(label)s: valued at zero, no quantity of it changes the ratio") % line
    text = _("%(label)s: %(needed)s instead of %(quantity)s") % {
        "label": line["label"],
        "needed": format_measure(line["needed"], line["unit"]),
        "quantity": format_measure(line["quantity"], line["unit"]),
    }
    if line["multiple"] is not None:
        text += " " + _("(%(multiple)s × today's)") % line
    notes = {
        "below_floor": _("even with none of it, the ratio stays above 1"),
        "above_ceiling": _("beyond the highest quantity expected"),
    }
    return text + (f" — {notes[line['reason']]}" if line["reason"] in notes else "")


def payoff_text(result: dict) -> list[str]:
    """The break-even answers as lines of text, for ``tribu report``."""
    be, currency = result.get("break_even"), result["currency"]
    if not be or be["direction"] == "none":
        return []
    title = {
        "rise": _("What would make it pay off (each change alone, until the ratio rises to 1)"),
        "fall": _("How far things may go (each change alone, until the ratio falls to 1)"),
    }[be["direction"]]
    out = ["", title]
    rent = be["rent"]
    if rent and rent["reason"] == "below_floor":
        out.append("  " + _("rent: even rent-free, the ratio would stay below 1"))
    elif rent:
        text = _("rent: %(needed)s for the period instead of %(quantity)s") % {
            "needed": format_money(rent["needed"], currency),
            "quantity": format_money(rent["quantity"], currency),
        }
        if rent.get("needed_per_month"):
            text += (
                " ("
                + _("%(v)s a month") % {"v": format_money(rent["needed_per_month"], currency)}
                + ")"
            )
        out.append("  " + text)
    out += ["  " + _line_text(line) for line in be["lines"]]
    if not be["alone"]:
        out.append("  " + _("no single line can do it on its own"))
        if be["pair"]:
            moves = [
                _("%(label)s from %(from)s to %(to)s")
                % {
                    "label": m["label"],
                    "from": format_measure(m["from"], m["unit"]),
                    "to": format_measure(m["to"], m["unit"]),
                }
                for m in be["pair"]["levers"]
            ]
            out.append(
                "  " + _("smallest pair of changes: %(moves)s") % {"moves": "; ".join(moves)}
            )
    return out
