"""Progress against a goal (the ASN's pledge, a region's target) as one labelled bar."""
from __future__ import annotations

from markupsafe import Markup

from campaign.util import svg
from campaign.util.formatting import percent, rupiah

WIDTH, HEIGHT = 320, 44
BAR_W = WIDTH - 2  # room for the goal tick at the far end
BAR_Y, BAR_H = 20, 16


def progress_bar(value: int | None, goal: int | None, *, label: str, goal_label: str,
                 suppressed: bool = False) -> Markup:
    """``value`` against ``goal`` (rupiah): a filled bar, a tick at the goal, the percentage.

    Past the goal the bar is scaled to ``value`` and the tick sits where the goal was reached,
    so overshooting stays visible. Without a goal (None or 0) it says so and draws no bar;
    ``suppressed`` (or a ``value`` of None: withheld for this viewer) hides the value behind a
    hatched "< 5" marker.
    """
    if suppressed or value is None:
        return _marker(label, f"{label}: disembunyikan (milik kurang dari {svg.suppressed_text()[2:]} orang).",
                       hatched=True)
    if not goal:
        return _marker(label, f"{label}: {goal_label.lower()} belum ditetapkan.", hatched=False)
    share = value / goal
    scale = max(value, goal)
    filled = BAR_W * value / scale
    tick = BAR_W * goal / scale
    summary = f"{rupiah(value)} dari {goal_label.lower()} {rupiah(goal)} ({percent(share)})"
    body = (svg.text(0, 13, f"{percent(share)} dari {goal_label.lower()}", font_size="13", fill=svg.INK)
            + svg.el("rect", y=BAR_Y, width=BAR_W, height=BAR_H, rx="3", fill="#eef1f3", stroke=svg.LINE)
            + (svg.el("rect", y=BAR_Y, width=f"{filled:.1f}", height=BAR_H, rx="3", fill=svg.BAR) if filled else "")
            + svg.el("line", x1=f"{tick:.1f}", y1=BAR_Y - 4, x2=f"{tick:.1f}", y2=BAR_Y + BAR_H + 4,
                     stroke=svg.INK, stroke_width="2"))
    return svg.document(WIDTH, HEIGHT, body, label=f"{label}: {summary}.", class_="chart progress-chart")


def _marker(label: str, description: str, *, hatched: bool) -> Markup:
    pattern = "progress-hatch"
    body = ((svg.hatch(pattern) if hatched else "")
            + svg.text(0, 13, svg.suppressed_text() if hatched else "Belum ada target", font_size="13", fill=svg.INK)
            + svg.el("rect", y=BAR_Y, width=WIDTH, height=BAR_H, rx="3",
                     fill=f"url(#{pattern})" if hatched else "#fff", stroke=svg.LINE, stroke_dasharray="3 2"))
    return svg.document(WIDTH, HEIGHT, body, label=description, title=label, class_="chart progress-chart")
