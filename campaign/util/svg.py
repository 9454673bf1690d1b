"""Small SVG building blocks shared by the charts: elements, patterns, shades, short numbers."""
from __future__ import annotations

import re

from flask import current_app, has_app_context
from markupsafe import Markup, escape

from campaign.util.formatting import number, percent, rupiah

INK = "#1d232a"
MUTED = "#5b6570"
LINE = "#9aa4ad"
# Sequential shades, light to dark: their lightness alone tells them apart in greyscale.
SHADES = ("#e8f4ee", "#a8d5ba", "#5fae7f", "#1f7a4d", "#0b3d27")
DARK_SHADES = frozenset(SHADES[3:])  # need white text
BAR = "#0b6e4f"
BAR_LIGHT = "#9fd3b6"
DEFAULT_LEAST = 5  # MIN_PUBLIC_PARTICIPANTS when the app does not say

MONEY = frozenset({"realized", "verified", "pledged", "target_amount", "spend_per_asn"})
RATES = frozenset({"participation_rate", "pledge_realization", "target_progress"})


def suppressed_text() -> str:
    """``< 5``: the marker of a value withheld by the small-number rule (MIN_PUBLIC_PARTICIPANTS)."""
    least = current_app.config.get("MIN_PUBLIC_PARTICIPANTS", DEFAULT_LEAST) if has_app_context() else DEFAULT_LEAST
    return f"< {least}"


def withheld(item, key: str) -> bool:
    """Whether ``item`` (a standings row or Figures) carries ``key`` in its ``suppressed`` set:
    the value was withheld for this viewer (campaign.domains.leaderboard.privacy) and must not be drawn."""
    return key in getattr(item, "suppressed", ())


_ATTRIBUTE_NAMES: dict[str, str] = {}  # keyword -> attribute name, worked out once each


def el(tag: str, content: str = "", **attributes) -> str:
    """``<tag a="v">content</tag>``; attribute names ``class_``/``font_size`` become
    ``class``/``font-size``; values are escaped, ``content`` is trusted markup. A tile map or a
    leaderboard's bars draw a few hundred of these per page: numbers and plain strings skip the
    escaping (nothing in them to escape) and the names are translated once."""
    parts = [tag]
    for name, value in attributes.items():
        if value is None:
            continue
        attribute = _ATTRIBUTE_NAMES.get(name)
        if attribute is None:
            attribute = _ATTRIBUTE_NAMES.setdefault(name, name.rstrip("_").replace("_", "-"))
        parts.append(f'{attribute}="{_escaped(value)}"')
    opening = " ".join(parts)
    return f"<{opening}>{content}</{tag}>" if content else f"<{opening}/>"


def _escaped(value) -> str:
    """``value`` escaped for HTML; numbers and plain strings (colours, names without ``&<>"'``)
    as they are, without building a Markup object for each."""
    kind = type(value)
    if kind is int or kind is float or (kind is str and _SPECIAL.search(value) is None):
        return value
    return escape(value)


_SPECIAL = re.compile(r"[&<>\"']")


def text(x: float, y: float, words: str, **attributes) -> str:
    return el("text", str(_escaped(words)), x=_n(x), y=_n(y), **attributes)


def document(width: float, height: float, body: str, *, label: str, class_: str,
             title: str | None = None, role: str = "img") -> Markup:
    """A complete ``<svg>`` with its text alternative: ``aria-label`` and a ``<title>``.
    ``role="group"`` for a picture holding links (an ``img``'s children are hidden from
    assistive technology, links included)."""
    inner = el("title", str(escape(title or label))) + body
    # el() escapes attribute values and every text() is escaped: the document is safe markup.
    return Markup(el("svg", inner, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {_n(width)} {_n(height)}",  # nosec B704
                     role=role, aria_label=label, class_=class_, focusable="false"))


def hatch(pattern_id: str, colour: str = MUTED) -> str:
    """A diagonal hatch pattern (suppressed or missing values): a texture, not a colour."""
    lines = el("path", d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5", stroke=colour, stroke_width="1.2")
    return el("defs", el("pattern", el("rect", width="6", height="6", fill="#fff") + lines, id=pattern_id,
                         width="6", height="6", patternUnits="userSpaceOnUse"))


def shade(value: float | None, peak: float | None) -> int:
    """Index into SHADES: 0 for zero, 1..4 by quarters of the peak."""
    if not value or not peak:
        return 0
    return min(4, max(1, int(-(-4 * value // peak))))


def compact(key: str, value: float | None) -> str:
    """A short form for small spaces: ``Rp1,3 M``, ``Rp450 jt``, ``Rp75 rb``, ``12,5%``, ``1.204``."""
    if value is None:
        return "-"
    if key in RATES:
        return percent(value)
    if key not in MONEY:
        return number(int(value))
    for size, suffix in ((10**12, "T"), (10**9, "M"), (10**6, "jt"), (10**3, "rb")):
        if value >= size:
            shown = value / size
            digits = f"{shown:.1f}" if shown < 10 else f"{shown:.0f}"
            return f"Rp{digits.replace('.', ',').removesuffix(',0')} {suffix}"
    return rupiah(round(value))


def full(key: str, value: float | None) -> str:
    """The way the tables show a value (the ``value`` macro of the leaderboard)."""
    if value is None:
        return "-"
    if key in RATES:
        return percent(value)
    if key in MONEY:
        return rupiah(round(value))
    return number(int(value))


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
