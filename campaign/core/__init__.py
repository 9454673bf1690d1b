"""Infrastructure, the lowest layer: configuration, the bare extensions, the database and its
SQLite writer gate, the clock and the time zones served, sequences, the audit trail, maintenance and
the domain error hierarchy.

Nothing here imports from a higher layer of ``campaign``.
"""
