"""Pure helpers: formatting (rupiah, dates, WITA), spreadsheets, SVG primitives.

They take plain values and give plain values; they know no domain.
"""
