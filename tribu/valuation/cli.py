"""``tribu sroi FILE.json``: evaluate an impact-map file on its own."""

import json
from pathlib import Path
from typing import Any

from .errors import ValuationError
from .parse import parse_impact_map
from .report import evaluate

USAGE_ERROR = 2


def read_json(path: str) -> tuple[Any, str | None]:
    """(decoded JSON, None), or (None, ``error: <file>: <message>``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, f"error: {path}: cannot read the file ({error})"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        return None, f"error: {path}: malformed JSON at {where}: {error.msg}"


def as_json(result: dict) -> str:
    # allow_nan=False: the engine never produces NaN or infinity, and must not start to.
    return json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False)


def run_sroi(path: str, draws: int | None = None, seed: int | None = None) -> tuple[int, str]:
    """(exit code, text to print): 0 and the evaluation as pretty JSON, or 2 and
    ``error: <file>: <message>``. An undefined ratio (zero inputs) is not an error:
    the JSON says so in ``notes`` and the ratios are null."""
    data, error = read_json(path)
    if error:
        return USAGE_ERROR, error
    try:
        result = evaluate(parse_impact_map(data), draws, seed)
    except ValuationError as error:
        return USAGE_ERROR, f"error: {path}: {error}"
    return 0, as_json(result)
