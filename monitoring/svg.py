"""Small static SVG charts (lines, bars, histograms) for the offline report.

Hand-written on purpose: a page that must open offline cannot load a charting script from a CDN,
and inlining one (plotly.js is ~4 MB) or adding matplotlib for three chart shapes buys nothing.
Every mark (``path``, ``rect``) carries the class ``mark`` so a test can count what was drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 720, 260
MARGIN = {"left": 64, "right": 16, "top": 16, "bottom": 48}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _frame(name: str, title: str, body: list[str], y_min: float, y_max: float, legend: list[str]) -> str:
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    parts = [
        f"<figure><figcaption>{escape(title)}</figcaption>",
        f'<svg class="chart" data-chart="{escape(name)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = y_min + (y_max - y_min) * i / 4
        y = MARGIN["top"] + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{MARGIN["left"]}" x2="{WIDTH - MARGIN["right"]}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{MARGIN["left"] - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{_fmt(value)}</text>")
    parts += body
    for i, label in enumerate(legend):
        parts.append(f'<rect x="{MARGIN["left"] + 160 * i}" y="{HEIGHT - 14}" width="10" height="10" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"/><text x="{MARGIN["left"] + 160 * i + 14}" '
                     f'y="{HEIGHT - 5}" font-size="11">{escape(label)}</text>')
    parts.append("</svg></figure>")
    return "\n".join(parts)


def _scale(values: Sequence[float]) -> tuple[float, float]:
    lo, hi = min(0.0, *values), max(values)
    return lo, hi if hi > lo else lo + 1


def line_chart(
    name: str, title: str, x_labels: Sequence[str], series: dict[str, Sequence[float | None]]
) -> str:
    """Lines over shared x positions (None leaves a gap); first and last x labels under the axis."""
    values = [v for s in series.values() for v in s if v is not None]
    if not values or not x_labels:
        return empty(name, title)
    y_min, y_max = _scale(values)
    plot_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    step = plot_w / max(len(x_labels) - 1, 1)
    body = []
    for i, (label, points) in enumerate(series.items()):
        commands, pen_down = [], False
        for j, v in enumerate(points):
            if v is None:
                pen_down = False
                continue
            x = MARGIN["left"] + j * step
            y = MARGIN["top"] + plot_h - (v - y_min) / (y_max - y_min) * plot_h
            commands.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
        body.append(f'<path class="mark" data-series="{escape(label)}" d="{" ".join(commands)}" fill="none" '
                    f'stroke="{PALETTE[i % len(PALETTE)]}" stroke-width="1.5"/>')
    for j in (0, len(x_labels) - 1):
        body.append(f'<text x="{MARGIN["left"] + j * step:.1f}" y="{HEIGHT - 28}" font-size="11" '
                    f'text-anchor="{"start" if j == 0 else "end"}">{escape(x_labels[j])}</text>')
    return _frame(name, title, body, y_min, y_max, list(series))


def bar_chart(name: str, title: str, labels: Sequence[str], series: dict[str, Sequence[float]]) -> str:
    """Grouped vertical bars, one group per label, one bar per series."""
    values = [v for s in series.values() for v in s]
    if not values or not labels:
        return empty(name, title)
    y_min, y_max = _scale(values)
    plot_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    group_w = plot_w / len(labels)
    bar_w = group_w * 0.8 / len(series)
    body = []
    for i, (label, points) in enumerate(series.items()):
        for j, v in enumerate(points):
            x = MARGIN["left"] + j * group_w + group_w * 0.1 + i * bar_w
            top = MARGIN["top"] + plot_h - (max(v, 0) - y_min) / (y_max - y_min) * plot_h
            base = MARGIN["top"] + plot_h - (0 - y_min) / (y_max - y_min) * plot_h
            body.append(f'<rect class="mark" data-series="{escape(label)}" x="{x:.1f}" y="{top:.1f}" '
                        f'width="{bar_w:.1f}" height="{max(base - top, 0.5):.1f}" '
                        f'fill="{PALETTE[i % len(PALETTE)]}">'
                        f"<title>{escape(labels[j])}: {_fmt(v)}</title></rect>")
    for j, label in enumerate(labels):
        body.append(f'<text x="{MARGIN["left"] + (j + 0.5) * group_w:.1f}" y="{HEIGHT - 28}" font-size="10" '
                    f'text-anchor="middle">{escape(label[:18])}</text>')
    return _frame(name, title, body, y_min, y_max, list(series) if len(series) > 1 else [])


def empty(name: str, title: str, reason: str = "no data") -> str:
    """A chart frame that says why it has nothing to draw (it has no ``mark``)."""
    return (f"<figure><figcaption>{escape(title)}</figcaption>"
            f'<svg class="chart empty" data-chart="{escape(name)}" viewBox="0 0 {WIDTH} 60" width="{WIDTH}" '
            f'height="60" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'<text x="10" y="35" font-size="13">{escape(reason)}</text></svg></figure>')
