"""Pure helpers: formatting (rupiah, dates and times in a given zone), spreadsheets, SVG primitives.

They take plain values and give plain values; they know no domain.
"""
