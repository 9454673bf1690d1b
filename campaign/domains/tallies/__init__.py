"""The aggregate tables behind every public figure, the one definition of a purchase's buckets,
and the functions that move them in the same transaction as the change they reflect."""
