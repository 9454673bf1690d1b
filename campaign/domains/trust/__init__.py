"""Trust: limits on logging, the duplicate guard, plausibility flags and bulk void.

Nobody can write the numbers alone. Limits and the duplicate guard run inside ``log_purchase``'s
own transaction (:mod:`.limits`); flags are read from the maintained tallies and never change
totals (:mod:`.flags`); only a void does, one by one or in bulk with a dry run and an undo
(:mod:`.services`).
"""
