"""``tribu sroi FILE.json``: evaluate an impact-map file on its own."""

import json
from pathlib import Path

from .errors import ValuationError
from .parse import parse_impact_map
from .report import evaluate

USAGE_ERROR = 2


def run_sroi(path: str, draws: int | None = None, seed: int | None = None) -> tuple[int, str]:
    """(exit code, text to print): 0 and the evaluation as pretty JSON, or 2 and
    ``error: <file>: <message>``. An undefined ratio (zero inputs) is not an error:
    the JSON says so in ``notes`` and the ratios are null."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return USAGE_ERROR, f"error: {path}: cannot read the file ({error})"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        return USAGE_ERROR, f"error: {path}: malformed JSON at {where}: {error.msg}"
    try:
        result = evaluate(parse_impact_map(data), draws, seed)
    except ValuationError as error:
        return USAGE_ERROR, f"error: {path}: {error}"
    # allow_nan=False: the engine never produces NaN or infinity, and must not start to.
    return 0, json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False)
