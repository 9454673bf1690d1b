"""Demo and seed code, beside the top: ``seed-demo`` and the programme demos. Nothing imports it
but the CLI, the benchmark and the tests."""
