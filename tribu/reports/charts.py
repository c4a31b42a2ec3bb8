"""Server-side charts as SVG text: the same pictures go into pages and PDF reports.

Pure Python and NumPy, no JavaScript; numbers are written by tribu.core.formats in the
active language ("151 200" in French, "151,200" in English). Every chart takes its data and its
already-translated words, and returns one <svg> element with a <title> and a <desc> so
that screen readers announce what it shows. Text from users (agent names, labels) is
escaped here, so the result is safe to insert in a page as it is.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

import numpy as np

from tribu.core.formats import format_money, format_number

FONT = 'font-family="system-ui, sans-serif" font-size="12"'
INK, MUTED, MARKET, NON_MARKET, WARN, GRID = (
    "#1d2433",
    "#4a5568",
    "#1f5f8b",
    "#2f7d4f",
    "#9a3412",
    "#d9d6cf",
)
KIND_COLOURS = (
    "#2f7d4f",
    "#1f5f8b",
    "#7b3f98",
    "#b45309",
    "#0f766e",
    "#9d174d",
    "#4d7c0f",
    "#1e40af",
)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = NON_MARKET


def _n(x: float) -> str:
    """A coordinate: two decimals, no exponent."""
    return f"{float(x):.2f}"


def _amount(value, unit: str) -> str:
    """An amount with its unit: a currency code is placed as the language places it."""
    if len(unit) == 3 and unit.isupper():
        return format_money(round(float(value), 2), unit)
    return f"{format_number(value, 2)} {unit}".strip()


def _fit(text: str, room: float, char_width: float = 6.6) -> str:
    """Text cut with an ellipsis to fit `room` pixels (an estimate for a 12 px font)."""
    most = max(int(room / char_width), 4)
    return text if len(text) <= most else text[: most - 1] + "…"


def _open(uid: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" role="img" aria-labelledby="{uid}-title {uid}-desc" class="chart" '
        f"{FONT}>",
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
    ]


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK, extra: str = ""
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="{fill}"{extra}>'
        f"{escape(text)}</text>"
    )


def _rect(
    x: float, y: float, w: float, h: float, fill: str, label: str = "", data: float | None = None
) -> str:
    value = f' data-value="{float(data):.6g}"' if data is not None else ""
    tip = f"<title>{escape(label)}</title>" if label else ""
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" '
        f'fill="{fill}"{value}>{tip}</rect>'
    )


def empty(uid: str, title: str, message: str, width: int = 640, height: int = 80) -> str:
    parts = _open(uid, width, height, title, message)
    parts.append(_text(width / 2, height / 2, message, anchor="middle", fill=MUTED))
    return "\n".join(parts + ["</svg>"])


def histogram(
    uid: str,
    samples: np.ndarray,
    *,
    title: str,
    desc: str,
    marker: float = 1.0,
    marker_label: str = "",
    bins: int = 40,
    width: int = 640,
    height: int = 260,
) -> str:
    """Distribution of `samples` with a vertical line at `marker`; bars above it stand out."""
    samples = np.asarray(samples, dtype=float)
    low, high = float(np.min(samples)), float(np.max(samples))
    low, high = min(low, marker), max(high, marker)
    if high - low < 1e-12:
        high = low + 1.0
    counts, edges = np.histogram(samples, bins=bins, range=(low, high))
    left, right, top, bottom = 40, width - 16, 28, height - 36
    sx = (right - left) / (high - low)
    sy = (bottom - top) / max(int(counts.max()), 1)
    parts = _open(uid, width, height, title, desc)
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>')
    for count, a, b in zip(counts, edges[:-1], edges[1:], strict=True):
        colour = NON_MARKET if a >= marker else WARN
        label = f"{format_number(a, 2)}–{format_number(b, 2)}: {format_number(int(count))}"
        parts.append(
            _rect(
                left + (a - low) * sx,
                bottom - count * sy,
                max((b - a) * sx - 1, 0.5),
                count * sy,
                colour,
                label,
                data=int(count),
            )
        )
    mx = left + (marker - low) * sx
    parts.append(
        f'<line x1="{_n(mx)}" y1="{top - 8}" x2="{_n(mx)}" y2="{bottom}" '
        f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 3" class="marker"/>'
    )
    if mx > (left + right) / 2:
        parts.append(_text(mx - 4, top - 10, marker_label, anchor="end"))
    else:
        parts.append(_text(mx + 4, top - 10, marker_label))
    for value in np.linspace(low, high, 5):
        x = left + (value - low) * sx
        parts.append(_text(x, bottom + 16, format_number(value, 2), anchor="middle", fill=MUTED))
    return "\n".join(parts + ["</svg>"])


def tornado(
    uid: str,
    bars: Sequence[dict],
    *,
    centre: float,
    title: str,
    desc: str,
    width: int = 720,
    row: int = 26,
) -> str:
    """One bar per assumption from the ratio at its low value to the ratio at its high one.

    `bars`: dicts with `label`, `low` and `high` (ratios), widest first.
    """
    label_w, right = 300, width - 60
    values = [centre] + [b["low"] for b in bars] + [b["high"] for b in bars]
    lo, hi = min(values), max(values)
    if hi - lo < 1e-12:
        hi = lo + 1.0
    sx = (right - label_w) / (hi - lo)
    height = 40 + row * len(bars) + 24
    parts = _open(uid, width, height, title, desc)
    for i, bar in enumerate(bars):
        y = 30 + i * row
        a, b = sorted((bar["low"], bar["high"]))
        parts.append(
            _text(label_w - 8, y + row * 0.6, _fit(bar["label"], label_w - 12), anchor="end")
        )
        parts.append(
            _rect(
                label_w + (a - lo) * sx,
                y + 3,
                max((b - a) * sx, 1),
                row - 8,
                MARKET,
                f"{bar['label']}: {format_number(a, 3)} – {format_number(b, 3)}",
                data=b - a,
            )
        )
        parts.append(
            _text(label_w + (b - lo) * sx + 4, y + row * 0.6, format_number(b - a, 3), fill=MUTED)
        )
    cx = label_w + (centre - lo) * sx
    bottom = 30 + row * len(bars)
    parts.append(
        f'<line x1="{_n(cx)}" y1="22" x2="{_n(cx)}" y2="{bottom}" stroke="{INK}" '
        f'stroke-width="2" class="marker"/>'
    )
    parts.append(_text(cx, 16, format_number(centre, 3), anchor="middle"))
    parts.append(_text(label_w, bottom + 16, format_number(lo, 2), anchor="middle", fill=MUTED))
    parts.append(_text(right, bottom + 16, format_number(hi, 2), anchor="middle", fill=MUTED))
    return "\n".join(parts + ["</svg>"])


def grouped_bars(
    uid: str,
    groups: Sequence[tuple[str, Sequence[Bar]]],
    *,
    title: str,
    desc: str,
    unit: str = "",
    width: int = 640,
    height: int = 260,
) -> str:
    """Groups of vertical bars on one scale (the two tiers side by side, for instance)."""
    values = [max(float(b.value), 0.0) for _, bars in groups for b in bars]
    top, bottom, left, right = 24, height - 56, 16, width - 16
    scale = (bottom - top) / max(max(values, default=0.0), 1e-9)
    slot = (right - left) / max(len(groups), 1)
    parts = _open(uid, width, height, title, desc)
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{MUTED}"/>')
    for g, (group_label, bars) in enumerate(groups):
        x0 = left + g * slot
        bar_w = (slot - 24) / max(len(bars), 1)
        for i, bar in enumerate(bars):
            h = max(float(bar.value), 0.0) * scale
            x = x0 + 12 + i * bar_w
            parts.append(
                _rect(
                    x + 2,
                    bottom - h,
                    bar_w - 4,
                    h,
                    bar.colour,
                    f"{bar.label}: {_amount(bar.value, unit)}",
                    data=bar.value,
                )
            )
            parts.append(
                _text(
                    x + bar_w / 2,
                    bottom - h - 4,
                    format_number(round(float(bar.value))),
                    anchor="middle",
                )
            )
            parts.append(_text(x + bar_w / 2, bottom + 14, bar.label, anchor="middle", fill=MUTED))
        parts.append(
            _text(
                x0 + slot / 2, bottom + 36, group_label, anchor="middle", extra=' font-weight="600"'
            )
        )
    return "\n".join(parts + ["</svg>"])


def sankey(
    uid: str,
    nodes: Sequence[dict],
    links: Sequence[dict],
    *,
    title: str,
    desc: str,
    unit: str = "",
    width: int = 760,
    min_height: int = 200,
) -> str:
    """Providers on the left, receivers on the right, one band per (pair, kind) of flow.

    `nodes`: dicts with `id` and `name`; `links`: dicts with `source`, `target`, `kind`
    and `value` (positive numbers; the band's thickness is proportional to it).
    """
    links = [link for link in links if float(link["value"]) > 0]
    names = {n["id"]: n["name"] for n in nodes}
    kinds = sorted({link["kind"] for link in links})
    colour = {k: KIND_COLOURS[i % len(KIND_COLOURS)] for i, k in enumerate(kinds)}
    out = _totals(links, "source")
    into = _totals(links, "target")
    total = sum(out.values()) or 1.0
    gap, top, node_w = 16, 20, 14
    # Room for the longest name on each side, so that names are written whole; the
    # picture widens instead (it scales down to the page).
    longest = max((len(names[i]) for i in (*out, *into)), default=10)
    label_w = int(min(max(longest * 7.2 + 16, 120), 360))
    width = max(width, 2 * label_w + 2 * node_w + 320)
    usable = max(min_height, 26 * max(len(out), len(into))) - gap * max(len(out), len(into))
    scale = usable / total
    height = int(top + usable + gap * max(len(out), len(into)) + 24 + 18 * len(kinds))
    left_x, right_x = label_w, width - label_w - node_w
    left_y = _stack(out, scale, top, gap)
    right_y = _stack(into, scale, top, gap)
    parts = _open(uid, width, height, title, desc)
    cursor_l, cursor_r = dict(left_y), dict(right_y)
    for link in sorted(links, key=lambda lk: (left_y[lk["source"]], right_y[lk["target"]])):
        thick = float(link["value"]) * scale
        y1 = cursor_l[link["source"]] + thick / 2
        y2 = cursor_r[link["target"]] + thick / 2
        cursor_l[link["source"]] += thick
        cursor_r[link["target"]] += thick
        x1, x2 = left_x + node_w, right_x
        mid = (x1 + x2) / 2
        tip = f"{names[link['source']]} → {names[link['target']]}: {link['kind']}, " + _amount(
            link["value"], unit
        )
        parts.append(
            f'<path d="M{_n(x1)},{_n(y1)} C{_n(mid)},{_n(y1)} {_n(mid)},{_n(y2)} '
            f'{_n(x2)},{_n(y2)}" fill="none" stroke="{colour[link["kind"]]}" '
            f'stroke-opacity="0.55" stroke-width="{_n(max(thick, 1))}" '
            f'data-value="{float(link["value"]):.6g}"><title>{escape(tip)}</title></path>'
        )
    for side, ys, amounts, x in (("l", left_y, out, left_x), ("r", right_y, into, right_x)):
        for node_id, y in ys.items():
            h = amounts[node_id] * scale
            parts.append(
                _rect(
                    x,
                    y,
                    node_w,
                    max(h, 1),
                    INK,
                    f"{names[node_id]}: {_amount(amounts[node_id], unit)}",
                    data=amounts[node_id],
                )
            )
            tx, anchor = (x - 6, "end") if side == "l" else (x + node_w + 6, "start")
            parts.append(
                _text(tx, y + max(h, 1) / 2 + 4, _fit(names[node_id], label_w - 10), anchor=anchor)
            )
    legend_y = top + usable + gap * max(len(out), len(into)) + 16
    for i, kind in enumerate(kinds):
        y = legend_y + 18 * i
        parts.append(_rect(left_x, y - 9, 12, 10, colour[kind]))
        parts.append(_text(left_x + 18, y, kind))
    return "\n".join(parts + ["</svg>"])


def _totals(links: Sequence[dict], end: str) -> dict:
    totals: dict = {}
    for link in links:
        totals[link[end]] = totals.get(link[end], 0.0) + float(link["value"])
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def _stack(amounts: dict, scale: float, top: float, gap: float) -> dict:
    ys, y = {}, top
    for node_id, amount in amounts.items():
        ys[node_id] = y
        y += amount * scale + gap
    return ys


def to_float(value: Decimal | float | str | None) -> float:
    return 0.0 if value in (None, "") else float(value)


__all__ = ["Bar", "empty", "grouped_bars", "histogram", "sankey", "tornado", "to_float"]
