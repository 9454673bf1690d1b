"""The weekly series of a region page as columns: realized spend per week, its verified part darker."""
from __future__ import annotations

import zlib
from collections.abc import Sequence

from babel.dates import format_date
from markupsafe import Markup

from campaign.util import svg
from campaign.util.formatting import rupiah, tanggal

WIDTH, HEIGHT = 360, 170
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 22, 28
CHART_W, CHART_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def weekly_chart(points: Sequence, *, caption: str, chart_id: str | None = None, suppressed: bool = False,
                 unit: str = "minggu") -> Markup:
    """Columns for ``points`` (:class:`~campaign.domains.leaderboard.details.WeekPoint`, oldest first).

    Each column is the week's realized spend (light) with its verified part (dark) at the
    bottom; the peak and the first and last week are labelled. The text alternative names the
    period, the best week and the latest week. A week withheld for this viewer (its
    ``suppressed`` flag, see campaign.domains.leaderboard.privacy) gets a short hatched stub, not a column, and
    does not set the scale; a week whose verified part alone is withheld (None) shows its
    realized column without it; ``suppressed`` (the whole series withheld) draws a hatched panel.
    ``unit="bulan"``: the points are months (``week_start`` the month's first day).
    """
    chart_id = chart_id or f"weekly-{zlib.crc32(caption.encode()):08x}"
    shown = [p for p in points if not _withheld(p)]
    if suppressed or not points or not shown:
        return _empty(caption, chart_id, suppressed or bool(points))
    peak = max(p.realized for p in shown)
    slot = CHART_W / len(points)
    gap = min(4.0, slot * 0.2)
    body = [svg.hatch(f"{chart_id}-hatch"),
            svg.el("line", x1=LEFT, y1=TOP + CHART_H, x2=WIDTH - RIGHT, y2=TOP + CHART_H, stroke=svg.LINE)]
    for index, point in enumerate(points):
        x = LEFT + index * slot + gap / 2
        body.append(_stub(x, slot - gap, chart_id) if _withheld(point) else _column(x, slot - gap, point, peak))
    body.append(svg.text(LEFT, TOP - 8, f"Tertinggi {svg.compact('realized', peak)}" if peak else "Belum ada belanja",
                         font_size="13", fill=svg.INK))
    body.append(svg.text(LEFT, HEIGHT - 8, _short(points[0].week_start, unit), font_size="12", fill=svg.MUTED))
    if len(points) > 1:
        body.append(svg.text(WIDTH - RIGHT, HEIGHT - 8, _short(points[-1].week_start, unit), font_size="12",
                             fill=svg.MUTED, text_anchor="end"))
    return svg.document(WIDTH, HEIGHT, "".join(body), label=describe(points, caption, unit),
                        class_="chart weekly-chart")


def describe(points: Sequence, caption: str, unit: str = "minggu") -> str:
    """The text alternative: period, latest week (or month), best one, how many are withheld."""
    if not points:
        return f"{caption}: belum ada data."
    shown = [p for p in points if not _withheld(p)]
    last = points[-1]
    text = (f"{caption}: {len(points)} {unit}, {_when(points[0].week_start, unit)} sampai "
            f"{_when(last.week_start, unit)}.")
    if _withheld(last):
        text += f" {unit.capitalize()} terakhir disembunyikan ({svg.suppressed_text()} orang)."
    else:
        verified = "disembunyikan" if last.verified is None else rupiah(last.verified)
        text += f" {unit.capitalize()} terakhir {rupiah(last.realized)} (terverifikasi {verified})."
    best = max(shown, key=lambda p: (p.realized, p.week_start), default=None)
    if best is not None and best.realized:
        text += f" Tertinggi {rupiah(best.realized)} pada {unit} {_when(best.week_start, unit)}."
    hidden = len(points) - len(shown)
    if hidden:
        text += f" {hidden} {unit} disembunyikan karena milik kurang dari {svg.suppressed_text()[2:]} orang."
    return text


def _withheld(point) -> bool:
    return getattr(point, "suppressed", False) is True and point.realized is None


def _stub(x: float, width: float, chart_id: str) -> str:
    """A withheld week: a short hatched mark at the base, the same for any value."""
    return svg.el("rect", x=f"{x:.1f}", y=f"{TOP + CHART_H - 10:.1f}", width=f"{width:.1f}", height="10",
                  fill=f"url(#{chart_id}-hatch)", stroke=svg.LINE)


def _column(x: float, width: float, point, peak: int) -> str:
    if not peak or not point.realized:
        return ""
    height = CHART_H * point.realized / peak
    verified = CHART_H * (point.verified or 0) / peak
    base = TOP + CHART_H
    parts = [svg.el("rect", x=f"{x:.1f}", y=f"{base - height:.1f}", width=f"{width:.1f}", height=f"{height:.1f}",
                    fill=svg.BAR_LIGHT, stroke=svg.BAR, stroke_width="0.8")]
    if verified:
        parts.append(svg.el("rect", x=f"{x:.1f}", y=f"{base - verified:.1f}", width=f"{width:.1f}",
                            height=f"{verified:.1f}", fill=svg.BAR))
    return "".join(parts)


def _empty(caption: str, chart_id: str, suppressed: bool) -> Markup:
    pattern = f"{chart_id}-hatch"
    message = (f"Disembunyikan: milik kurang dari {svg.suppressed_text()[2:]} orang" if suppressed
               else "Belum ada data")
    body = (svg.hatch(pattern) + svg.el("rect", x=LEFT, y=TOP, width=CHART_W, height=CHART_H,
                                        fill=f"url(#{pattern})" if suppressed else "#fff", stroke=svg.LINE)
            + svg.text(WIDTH / 2, TOP + CHART_H / 2, message, font_size="14", fill=svg.INK, text_anchor="middle"))
    return svg.document(WIDTH, HEIGHT, body, label=f"{caption}: {message.lower()}.", class_="chart weekly-chart")


def _short(day, unit: str = "minggu") -> str:
    return format_date(day, "MMM y" if unit == "bulan" else "d MMM", locale="id")


def _when(day, unit: str) -> str:
    return format_date(day, "MMMM y", locale="id") if unit == "bulan" else tanggal(day)
