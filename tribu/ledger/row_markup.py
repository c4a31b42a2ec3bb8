"""A ledger row's markup, written in Python.

Why not a template: a page of fifty rows asks the template engine for some 24,000 variables,
and its cost per variable (lookup, localisation, escaping) made the rows half of the ledger
page's time. The rows already carry their texts (see `rows.py`), so placing them is string
work. Every value goes through `_e`, which escapes as the template did (`conditional_escape`:
text already marked safe is kept), without the check for lazy arguments that Django's
`escape` and `format_html` make on each call: on the some 1,500 values of a page, that
check made the rows cost several milliseconds instead of half of one.

The markup is the one every ledger table shows (the ledger, a flow's page, the flows to
confirm, the row an HTMX confirmation or dispute sends back): same ids, classes, labels,
HTMX attributes and forms.
"""

import html

from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tribu.ledger.rows import Row


def rows_markup(
    rows: list[Row], csrf_token: str, row_error: str | None = None, row_done: str | None = None
) -> SafeString:
    """The `<tr>` of each row; `row_error`/`row_done` answer an action on a single row."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
    markup = "".join(_row(row, csrf, row_error, row_done) for row in rows)
    return mark_safe(markup)  # noqa: S308 - every value in it went through _e


def _e(value) -> str:
    """`value` escaped for HTML, as the template did (safe text is kept as it is)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _row(row: Row, csrf: str, row_error: str | None, row_done: str | None) -> str:
    e, labels, pk = row.event, row.labels, row.event.pk
    corrected = " corrected" if row.state.corrected else ""
    return (
        f'\n<tr id="event-{pk}" class="status-{_e(row.state.status)}{corrected}">\n'
        f'  <td data-label="#"><a href="{_e(row.links.detail)}">{pk}</a></td>\n'
        f'  <td data-label="{_e(labels["when"])}"><span class="nowrap">{_e(row.when)}</span></td>\n'
        f'  <td data-label="{_e(labels["who"])}">{_e(e.provider.name)} → {_e(e.receiver.name)}'
        f'<br><small class="muted">{_e(row.action)}</small></td>\n'
        f"  {_what(row)}\n"
        f'  <td class="num" data-label="{_e(labels["quantity"])}">{_e(row.amount)}</td>\n'
        f"  {_how(row)}\n"
        f"  {_status(row)}\n"
        f"  {_actions(row, csrf, row_error, row_done)}\n</tr>"
    )


def _what(row: Row) -> str:
    e, note, evidence = row.event, "", ""
    if e.note:
        note = f'<br><small class="muted">{_e(Truncator(e.note).chars(80))}</small>'
    if e.evidence:
        shown = _e(Truncator(e.evidence).chars(40))
        if row.evidence_is_link:
            shown = f'<a href="{_e(e.evidence)}" rel="noopener nofollow">{shown}</a>'
        evidence = f"<br><small>{_e(row.labels['evidence'])} {shown}</small>"
    return f'<td data-label="{_e(row.labels["what"])}">{_e(row.what)}{note}{evidence}</td>'


def _how(row: Row) -> str:
    note = f'<br><small class="muted">{_e(row.source_note)}</small>' if row.source_note else ""
    explain = f'<span class="explain">{_e(row.valued.readable)}</span>'
    return f'<td data-label="{_e(row.labels["how"])}">{explain}{note}</td>'


def _status(row: Row) -> str:
    e, labels = row.event, row.labels
    if row.state.corrected:
        badge = f'<span class="badge status corrected">{_e(labels["corrected"])}</span>'
        for pk, link in row.corrections:
            badge += f'<br><a href="{_e(link)}">{_e(_("by #%(id)s") % {"id": pk})}</a>'
    elif row.declared:
        badge = f'<span class="badge status declared">{_e(labels["declared"])}</span>'
    else:
        badge = f'<span class="badge status {_e(row.state.status)}">{_e(row.status)}</span>'
    if e.corrects_id:
        corrects = _("corrects #%(id)s") % {"id": e.corrects_id}
        badge += f'<br><a href="{_e(row.links.corrects)}">{_e(corrects)}</a>'
    if e.source:
        badge += f'<br><small class="muted">{_e(labels["by_system"])}</small>'
    return f'<td data-label="{_e(labels["status"])}">{badge}</td>'


def _actions(row: Row, csrf: str, row_error: str | None, row_done: str | None) -> str:
    parts = []
    if row_error:
        parts.append(f'<p class="errorlist" role="alert">{_e(row_error)}</p>')
    if row_done:
        parts.append(f'<p class="done" role="status">{_e(row_done)}</p>')
    if row.can_confirm:
        parts.append(_confirm_form(row, csrf))
    if row.can_dispute:
        parts.append(_dispute_form(row, csrf))
    if row.can_correct:
        parts.append(f'<a href="{_e(row.links.correct)}">{_e(row.labels["correct"])}</a>')
    return '<td class="actions">' + "\n    ".join(parts) + "</td>"


def _form_head(url: str, pk: int, csrf: str, extra: str = "") -> str:
    """A form that posts to `url`, by HTMX too, and swaps the row for the answer."""
    url = _e(url)
    return (
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="#event-{pk}"'
        f' hx-swap="outerHTML"{extra}>{csrf}'
    )


def _confirm_form(row: Row, csrf: str) -> str:
    head = _form_head(row.links.confirm, row.event.pk, csrf)
    button = f'<button type="submit" class="small">{_e(row.labels["confirm"])}</button>'
    return f"{head}\n        {button}</form>"


def _dispute_form(row: Row, csrf: str) -> str:
    pk, labels = row.event.pk, row.labels
    head = _form_head(row.links.dispute, pk, csrf, ' class="dispute"')
    return (
        f"{head}\n"
        f'        <label for="reason-{pk}" class="visually-hidden">{_e(labels["why"])}</label>\n'
        f'        <input id="reason-{pk}" name="reason" required'
        f' placeholder="{_e(labels["why_short"])}" size="10">\n'
        f'        <button type="submit" class="small secondary">{_e(labels["dispute"])}</button>'
        "</form>"
    )
