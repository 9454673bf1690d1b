"""How the leaderboard pages show a figure: rupiah, a rate or a count, "< 5 peserta" where the
small-number rule (:mod:`campaign.domains.leaderboard.privacy`) withheld it, "≈ ..." where a total
is published in steps. Python rather than a template macro: a standings page shows about 200 of them."""
from __future__ import annotations

from flask import Flask
from markupsafe import Markup, escape

from campaign.domains.leaderboard.privacy import minimum
from campaign.util.formatting import number, percent, rupiah

RUPIAH_FIGURES = frozenset({"realized", "verified", "pledged", "target_amount", "institutional"})
RATE_FIGURES = frozenset({"participation_rate", "pledge_realization", "target_progress"})


def figure_text(key: str, amount) -> str:
    """How the leaderboard pages show figure ``key``: rupiah, a rate, or a count ("-": none).
    Python rather than a template macro: a standings page shows about 200 of them."""
    if amount is None:
        return "-"
    if key in RUPIAH_FIGURES:
        return rupiah(amount)
    if key == "spend_per_asn":
        return rupiah(int(round(amount)))
    if key in RATE_FIGURES:
        return percent(amount)
    return number(amount)


def shown_figure(item, key: str) -> str:
    """Figure ``key`` of a row or totals; a withheld one reads "< 5 peserta", one published in
    steps (a total's ``rounded``) "≈ ..."."""
    if key in item.suppressed:
        return Markup("&lt; {} peserta").format(minimum())
    approximately = "≈ " if key in getattr(item, "rounded", ()) else ""
    return approximately + figure_text(key, getattr(item, key))


# Beside a verified figure of a region without an ASN roster (its ASN buy no verified spend).
NOT_CHECKED = Markup('<small class="hint not-checked"> (belum dicek dengan daftar ASN)</small>')


def figure_cells(row, keys: list[str], *, unchecked: bool) -> Markup:
    """The table cells of a leaderboard row's figures ``keys``, the first the ranking metric's
    (``num metric``), each as :func:`shown_figure`; a verified figure of an ``unchecked`` region
    (no ASN roster) carries :data:`NOT_CHECKED`. One call per row rather than a template loop:
    the full table of a province is two hundred cells."""
    cells = []
    for index, key in enumerate(keys):
        mark = NOT_CHECKED if unchecked and key == "verified" else ""
        cells.append(f'<td class="{"num metric" if index == 0 else "num"}">{escape(shown_figure(row, key))}{mark}</td>')
    # every figure escaped above (a withheld one is already markup); the rest is this function's own text
    return Markup("".join(cells))  # nosec B704


def register(app: Flask) -> None:
    """``min_public_participants()`` in every template and macro, for the "< 5 peserta" label,
    ``figure_text`` / ``shown_figure`` (the ``value`` and ``shown`` of ``leaderboard/_macros.html``),
    and ``figure_cells`` (a leaderboard row's cells)."""
    app.jinja_env.globals.update(min_public_participants=minimum, figure_text=figure_text,
                                 shown_figure=shown_figure, figure_cells=figure_cells)
