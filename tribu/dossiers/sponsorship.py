"""French corporate sponsorship: the company's tax reduction and net cost (art. 238 bis
of the Code général des impôts).

The law's own words (art. 238 bis, 1): gifts are "pris dans la limite de 20 000 € ou de
5 pour mille du chiffre d'affaires hors taxes lorsque ce dernier montant est plus élevé";
the reduction is 60 % of the gift, and 40 % for the part of the year's gifts above
2 million euros; a gift beyond the ceiling "peut donner lieu à réduction d'impôt au titre
des cinq exercices suivants". The ceiling therefore applies to the gifts retained, and
the reduction follows from them. The carry-over below assumes the same turnover and no
other gift in the following years.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from tribu.core.errors import TribuError

RULE = "Code général des impôts, article 238 bis, 1 (BOI-BIC-RICI-20-30)"
CHECKED = "2026-11-30"
FLOOR_CEILING = Decimal(20000)
TURNOVER_SHARE = Decimal("0.005")
HIGH_RATE_LIMIT = Decimal(2_000_000)
RATE, HIGH_RATE = Decimal("0.60"), Decimal("0.40")
CARRY_YEARS = 5
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Year:
    year: int  # 0: the year of the gift; 1 to 5: carry-over
    retained: Decimal
    reduction: Decimal
    left: Decimal  # gift not yet retained after this year


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def ceiling(turnover: Decimal) -> Decimal:
    """The most of a year's gifts that counts: 20,000 € or 0.5 % of turnover, the higher."""
    return max(FLOOR_CEILING, turnover * TURNOVER_SHARE)


def reduction_for(retained: Decimal) -> Decimal:
    """60 % of the retained gifts up to 2 M€, 40 % of the part above."""
    low_part = min(retained, HIGH_RATE_LIMIT)
    return low_part * RATE + (retained - low_part) * HIGH_RATE


def _amount(value, words: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except ArithmeticError:
        raise TribuError(words) from None
    if not number.is_finite():
        raise TribuError(words)
    return number


def _check(gift, turnover) -> tuple[Decimal, Decimal]:
    if gift in (None, "") or _amount(gift, _("the gift must be a positive amount")) <= 0:
        raise TribuError(_("the gift must be a positive amount"))
    if turnover is None or turnover == "":
        raise TribuError(_("give the company's turnover excluding tax: the ceiling depends on it"))
    if _amount(turnover, _("the turnover must be an amount")) < 0:
        raise TribuError(_("the turnover cannot be negative"))
    return _amount(gift, ""), _amount(turnover, "")


def sponsorship(gift, turnover) -> dict:
    """The reduction year by year, what is lost after five years, and the net cost."""
    gift, turnover = _check(gift, turnover)
    cap = ceiling(turnover)
    years, left = [], gift
    for year in range(CARRY_YEARS + 1):
        retained = min(left, cap)
        left -= retained
        years.append(Year(year, retained, _cents(reduction_for(retained)), left))
        if not left:
            break
    total = sum((y.reduction for y in years), Decimal(0))
    return {
        "gift": str(_cents(gift)),
        "turnover": str(_cents(turnover)),
        "ceiling": str(_cents(cap)),
        "years": [
            {
                "year": y.year,
                "retained": str(_cents(y.retained)),
                "reduction": str(y.reduction),
                "left": str(_cents(y.left)),
            }
            for y in years
        ],
        "reduction": str(total),
        "lost": str(_cents(left)),
        "net_cost": str(_cents(gift - total)),
        "rule": RULE,
        "checked": CHECKED,
    }
