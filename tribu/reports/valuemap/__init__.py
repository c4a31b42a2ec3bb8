"""The value map spreadsheet, in and out.

Practitioners keep impact maps in the value map published by Social Value UK: one row
per outcome, with its stakeholder, inputs, outputs, indicator, quantity, duration,
outcomes start, financial proxy and source, deadweight, displacement, attribution and
drop-off. ``read_value_map`` turns such a sheet (headings in English, or in French as
French practitioners translate them) into an impact-map file, checked by the engine;
``write_value_map`` writes one back with the figures filled in. The engine stays pure:
the spreadsheet lives here.

Beyond the published columns, optional ones carry what the engine knows and the
published map does not (low and high values, yearly quantities, market, headline,
in-kind accounts), and an optional "Settings" sheet the name, currency, discount rate,
discounting and simulation: a map written here reads back to the same evaluation.
"""

from .layout import TEMPLATE_FILES, ValueMapError
from .read import MISSING, read_value_map
from .write import template, write_value_map

__all__ = [
    "MISSING",
    "TEMPLATE_FILES",
    "ValueMapError",
    "read_value_map",
    "template",
    "write_value_map",
]
