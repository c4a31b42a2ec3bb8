"""The company's gift receipt: form 2041-MEC-SD (Cerfa n° 16216), "Reçu des dons et
versements effectués par les entreprises au titre de l'article 238 bis du code général des
impôts", made from a gift recorded in the ledger.

A gift is a counted (confirmed, uncorrected) flow from an organization to the platform's
host or place, of a non-market kind, with an amount: money paid (a gift in cash) or a
declared value (a gift in kind, valued at the value the donor declared). The beneficiary's
and the donor's identities come from their legal details (tribu.spaces.models.LegalDetails).
Only a body of general interest may issue the receipt: Tribu asks for the beneficiary's RNA
number (the register of associations) before it makes one, so that a host that is a company
is never handed a tax receipt to sign. A gift to the place is received by its carrier, the
host, whose legal details the invoicing page keeps.
"""

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tribu.agents.models import Agent, AgentKind
from tribu.core.errors import NotFound, TribuError
from tribu.core.formats import format_money_in_words
from tribu.ledger.models import EconomicEvent
from tribu.platforms.models import Platform
from tribu.spaces.models import LegalDetails

from .sponsorship import CHECKED

FORM = "2041-MEC-SD"
CERFA = "16216"
ARTICLE = "238 bis"


def gifts(platform: Platform) -> QuerySet[EconomicEvent]:
    """Every gift a company made to the carrier that a receipt may be made for."""
    carriers = [a.pk for a in (platform.host, platform.place) if a is not None]
    return EconomicEvent.objects.filter(
        platform=platform,
        state__counted=True,
        provider__kind=AgentKind.ORGANIZATION,
        receiver_id__in=carriers,
        resource_conforms_to__market=False,
    ).select_related("provider", "receiver", "resource_conforms_to")


def is_gift(event: EconomicEvent) -> bool:
    return bool(event.money_amount or event.declared_value) and (
        gifts(event.platform).filter(pk=event.pk).exists()
    )


def gift_event(platform: Platform, event_id: int) -> EconomicEvent:
    """The gift ``event_id``, or a refusal that says why it has no receipt."""
    event = EconomicEvent.objects.filter(platform=platform, pk=event_id).first()
    if event is None:
        raise NotFound(_("no event #%(id)s in this platform") % {"id": event_id})
    if not is_gift(event):
        raise TribuError(
            _(
                "flow #%(id)s has no gift receipt: a receipt is for a confirmed gift, with an "
                "amount or a declared value, from a company to the platform's host or place"
            )
            % {"id": event_id}
        )
    problem = beneficiary_problem(event)
    if problem:
        raise TribuError(problem)
    return gifts(platform).get(pk=event_id)


def beneficiary_problem(event: EconomicEvent) -> str:
    """Why the gift's beneficiary may not issue its receipt yet ("" when it may)."""
    details = _details(event.receiver_id, event.platform)
    if details is None or not details.rna:
        return _(
            "the gift receipt is issued by an association of general interest: enter the RNA "
            "number and the object of the beneficiary, %(name)s, in the invoicing details first"
        ) % {"name": details.legal_name if details else event.platform.host.name}
    return ""


def _details(agent_id: int, platform: Platform) -> LegalDetails | None:
    """An organization's legal details; for the place, its carrier's (the host's)."""
    if agent_id == platform.place_id:
        agent_id = platform.host_id
    return LegalDetails.objects.filter(platform=platform, agent_id=agent_id).first()


def _identity(agent: Agent, platform: Platform, fallback_address: str = "") -> dict:
    details = _details(agent.pk, platform)
    if details is None:
        return {"name": agent.name, "address": fallback_address, "siren": "", "rna": ""}
    return {
        "name": details.legal_name,
        "address": details.address or fallback_address,
        "siren": details.siren,
        "rna": details.rna,
        "purpose": details.purpose,
    }


def receipt_data(event: EconomicEvent, language: str = "fr") -> dict:
    """What the receipt prints; amounts are Decimal, in the platform's currency."""
    platform = event.platform
    beneficiary = _identity(event.receiver, platform, platform.address)
    # The association's object: as registered, else the Cause it carries.
    beneficiary["purpose"] = beneficiary.get("purpose") or platform.cause_title
    in_cash = bool(event.money_amount)
    amount = event.money_amount if in_cash else event.declared_value
    currency = (event.currency if in_cash else "") or platform.currency
    return {
        "number": f"{platform.slug}-{event.pk}",
        "event": event.pk,
        "platform": platform,
        "beneficiary": beneficiary,
        "donor": _identity(event.provider, platform),
        "amount": amount,
        "currency": currency,
        "amount_in_words": format_money_in_words(amount, currency, language),
        "date": event.occurred_on,
        "in_cash": in_cash,
        "nature": event.resource_conforms_to.name(language),
        "quantity": event.resource_quantity,
        "unit": event.unit,
        "made_on": timezone.localdate(),
        "form": FORM,
        "cerfa": CERFA,
        "article": ARTICLE,
        "checked": CHECKED,
        "illustrative": platform.is_demo,
    }


def receipt_pdf(platform: Platform, event_id: int, language: str = "fr") -> bytes:
    """The receipt of gift ``event_id`` as PDF, in French unless ``language`` is "en"."""
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    event = gift_event(platform, event_id)
    with translation.override(language):
        html = render_to_string("dossiers/receipt.html", receipt_data(event, language))
    return HTML(string=html).write_pdf()
