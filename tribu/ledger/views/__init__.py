"""The ledger's pages: the flows (read, record, confirm, dispute, correct) and the
catalogue of kinds of value they are valued with."""

from .catalogue import catalogue, catalogue_edit, catalogue_version
from .events import (
    event_confirm,
    event_correct,
    event_detail,
    event_dispute,
    event_record,
    ledger,
)

__all__ = [
    "catalogue",
    "catalogue_edit",
    "catalogue_version",
    "event_confirm",
    "event_correct",
    "event_detail",
    "event_dispute",
    "event_record",
    "ledger",
]
