"""The one error the valuation engine raises on bad input."""


class ValuationError(ValueError):
    """A one-line message that names the field path, e.g.
    ``outcomes[0].deadweight: low 0.3 is above central 0.2``.

    ``path`` and ``detail`` are kept apart so that a caller that knows where a value came
    from (the parser knows it read ``outcomes[0]``) can prefix the path without parsing
    the message back.
    """

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: {detail}" if path else detail)

    def within(self, prefix: str) -> "ValuationError":
        """The same error, seen from one level up (``prefix`` + ``.`` + own path)."""
        if not self.path:
            return ValuationError(prefix, self.detail)
        joiner = "" if self.path.startswith("[") else "."
        return ValuationError(f"{prefix}{joiner}{self.path}", self.detail)
