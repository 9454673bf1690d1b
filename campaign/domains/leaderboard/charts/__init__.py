"""Pictures drawn on the server as SVG: no chart library, no JavaScript.

Every function here is pure: it takes the dataclasses the read functions return (or plain
values) and gives back SVG markup (``Markup``) ready to embed, or data a template macro draws.
Each picture carries a text alternative (``role="img"`` with an ``aria-label`` and a
``<title>``) and stays readable in greyscale: values differ by lightness and by pattern, never
by hue alone. A value hidden by the small-number rule is drawn as a hatched "< 5" marker, never
as a bar of its real size.
"""
from __future__ import annotations

from flask import Flask


def register_template_globals(app: Flask) -> None:
    """The pictures a template draws from its own data (weekly series, progress, single bars)."""
    from campaign.domains.leaderboard.charts.bars import bar
    from campaign.domains.leaderboard.charts.progress import progress_bar
    from campaign.domains.leaderboard.charts.weekly import weekly_chart

    app.jinja_env.globals.update(weekly_chart=weekly_chart, progress_bar=progress_bar, bar_svg=bar)
