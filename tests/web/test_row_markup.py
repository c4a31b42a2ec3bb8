"""The ledger's rows, written in Python: what people wrote is escaped, the confirm and dispute
forms carry the CSRF token, and the labels speak the page's language."""

import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import flow, record
from tests.web.conftest import last_month, login
from tribu.ledger.models import EconomicEvent
from tribu.ledger.row_markup import rows_markup
from tribu.ledger.rows import RowBuilder
from tribu.ledger.services import correct_event

SCRIPT = "<script>alert('x')</script>"


def row_of(html: str, pk: int) -> str:
    found = re.search(rf'<tr id="event-{pk}".*?</tr>', html, re.S)
    assert found, f"no row for flow #{pk}"
    return found.group(0)


def test_what_people_wrote_is_escaped(client, web_tribe):
    tribe = web_tribe
    event = record(
        tribe,
        tribe.bob,
        "day-pass",
        tribe.bob,
        tribe.host,
        1,
        on=last_month(),
        note=SCRIPT,
        evidence='https://example.org/?a="b"&' + SCRIPT,
    )
    login(client, tribe.hana)
    for page in (
        reverse("ledger", args=["essai"]),
        reverse("event-detail", args=["essai", event.pk]),
    ):
        row = row_of(client.get(page).content.decode(), event.pk)
        assert "<script>" not in row
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in row
        assert 'href="https://example.org/?a=&quot;b&quot;&amp;&lt;script&gt;' in row


def test_the_confirm_and_dispute_forms_carry_the_csrf_token(web_tribe):
    client = Client(enforce_csrf_checks=True)
    login(client, web_tribe.hana)  # represents the host, who received bob's flow
    pk = web_tribe.proposed.pk
    row = row_of(client.get(reverse("ledger", args=["essai"])).content.decode(), pk)
    forms = re.findall(r"<form .*?</form>", row, re.S)
    assert [re.search(r'action="([^"]+)"', form).group(1) for form in forms] == [
        reverse("event-confirm", args=["essai", pk]),
        reverse("event-dispute", args=["essai", pk]),
    ]
    tokens = [
        re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="(\w+)">', form)
        for form in forms
    ]
    assert all(tokens)
    assert "Confirmer</button>" in forms[0] and "Contester</button>" in forms[1]  # French
    # The token works: the confirmation posted with it goes through, and its row comes back.
    confirmed = client.post(
        reverse("event-confirm", args=["essai", pk]),
        {"csrfmiddlewaretoken": tokens[0].group(1)},
        HTTP_HX_REQUEST="true",
    )
    assert confirmed.status_code == 200
    assert f'<tr id="event-{pk}" class="status-confirmed">' in confirmed.content.decode()


def test_french_labels_and_links(client, web_tribe):
    tribe = web_tribe
    correction = correct_event(
        tribe.proposed, tribe.bob, flow(tribe, "day-pass", tribe.bob, tribe.host, 3), "three"
    )
    both = list(EconomicEvent.objects.filter(pk__in=[tribe.proposed.pk, correction.pk]))
    with translation.override("fr"):
        builder = RowBuilder(tribe.platform, tribe.hana, "fr")
        html = rows_markup(builder.rows(both), "token")
    assert 'data-label="Quand"' in html
    assert "Preuve" not in html  # no evidence, no label
    assert f">par n° {correction.pk}</a>" in html
    assert f">corrige le n° {tribe.proposed.pk}</a>" in html
    assert 'data-label="Qui a donné → qui a reçu"' in html
    with translation.override("en"):
        builder = RowBuilder(tribe.platform, tribe.hana, "en")
        html = rows_markup(builder.rows(both), "token")
    assert f">by #{correction.pk}</a>" in html
    assert 'data-label="When"' in html
