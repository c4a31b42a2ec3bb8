"""Fixed English texts that travel as data, and their translation for people.

The default catalogue's proxy sources and the valuation engine's notes are stored or
returned in English (files and the API keep them word for word); pages and the text
report show them in the reader's language through `readable`. A text someone typed
(a platform's own source) is not in this list and is shown as written.
"""

from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

KNOWN = frozenset(
    (
        # Sources of the default catalogue (tribu/ledger/data/catalogue-fr-2026.csv).
        gettext_noop(
            "INSEE 2023 average Paris hotel night about 180 EUR; trivago 173 EUR (Sep 2019); "
            "business-travel press 150 EUR (2017)"
        ),
        gettext_noop(
            "Paris open-space coworking about 313 EUR/month, closed office 698 EUR "
            "(2017 study); La Defense 190-500 EUR; 2021 average 647 EUR"
        ),
        gettext_noop("French coworking day-pass price surveys 2020"),
        gettext_noop(
            "Low confidence: Lille coworker half-day 56 EUR; Paris 30-person room from "
            "600 EUR per half-day"
        ),
        gettext_noop("Low confidence: Paris venue-hire listings"),
        gettext_noop(
            "1x / 1.5x / 3x the French minimum wage (SMIC) of 12.02 EUR gross per hour from "
            "1 January 2026; auditors advise one stable rate with timesheets"
        ),
        gettext_noop(
            "Market price from an invoice or a quote (ANC 2018-06; ASC 958-605): declared per event"
        ),
        gettext_noop(
            "Probability of closing x contract value x gross margin, declared per referral; "
            "default attribution 50%"
        ),
        gettext_noop(
            "Barcelona Principles: advertising value equivalents are not the value of "
            "communication; shown apart, off the headline"
        ),
        gettext_noop("Market: the invoiced amount"),
        gettext_noop("Market: the lease"),
        # Sources the demo platforms add (tribu/demo).
        gettext_noop("Market: the facilitator's invoice or payslip"),
        gettext_noop("Market: the funding agreement and the bank statement"),
        gettext_noop(
            "7 hours at the volunteer-hour proxy: 1x / 1.5x / 3x the French minimum wage "
            "(SMIC) of 12.02 EUR gross per hour from 1 January 2026; days logged on the "
            "challenge's timesheet"
        ),
        # Notes of the valuation engine (tribu.valuation).
        gettext_noop(
            "Extended total: market revenue and costs plus valued non-market lines "
            "(headline only), at central values"
        ),
        gettext_noop("costs: total is zero — the ratio is undefined"),
        gettext_noop("inputs: total is zero — the ratio is undefined"),
        gettext_noop("inputs: zero in some draws — the ratio is undefined"),
        gettext_noop(
            "pessimistic and optimistic put every assumption at its worst or best end at "
            "once: an envelope, not a confidence interval (see monte_carlo for that)"
        ),
    )
)


# Fixed texts stored in the language that was active when they were written (a catalogue
# version's note, a charter version's note): recognised in any language, shown in the
# reader's.
STORED = (
    gettext_noop("Default catalogue (France, 2026)"),
    gettext_noop("Adopted: no objection stood at the end of the advice period"),
)


@cache
def _stored() -> dict[str, str]:
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.update({gettext(msgid): msgid for msgid in STORED})
    return found


def readable(text: str | None) -> str:
    """`text` in the active language when it is one of the fixed texts above."""
    if not text:
        return ""
    if text in KNOWN:
        return gettext(text)
    msgid = _stored().get(text)
    return gettext(msgid) if msgid else text


class Message:
    """A sentence kept as its English original and its values, so that it can be shown
    later in the language of whoever reads it (notifications)."""

    def __init__(self, msgid: str, **params):
        self.msgid = msgid
        self.params = {k: v if isinstance(v, int) else str(v) for k, v in params.items()}

    def __str__(self) -> str:
        return render(self.msgid, self.params)


def render(msgid: str, params: dict) -> str:
    from .formats import format_date

    shown = {k: format_date(v) if k == "day" else v for k, v in params.items()}
    return gettext(msgid) % shown
