"""The domains, one folder each. Lower domains never import higher ones: the order, bottom to
top, is the ``layers`` contract in ``.importlinter`` (and ``docs/architecture.md``)."""
