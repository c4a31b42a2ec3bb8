"""`make bench`: large generated ledgers, Tribu's host report next to the raw-SQL floor.

`generate` writes the ledger in bulk through the same projections the services keep,
`floor` is the hand-written GROUP BY a report would otherwise be, `measure` times both
(and the Monte Carlo), and `run` is the command line.
"""
