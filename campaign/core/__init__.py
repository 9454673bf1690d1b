"""Infrastructure, the lowest layer: configuration, the bare extensions, the database and its
SQLite writer gate, sequences, the audit trail, maintenance and the domain error hierarchy.

Nothing here imports from another layer of ``campaign``.
"""
