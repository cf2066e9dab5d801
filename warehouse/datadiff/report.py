"""The data diff as a Markdown pull-request comment and a self-contained HTML page (no CDN)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from warehouse.datadiff.values import NOT_COMPARED, ColumnDiff, ModelDiff

COMMENT_MARKER = "<!-- logistics-data-diff -->"  # the workflow updates the comment carrying it
_MAX_MODELS_IN_COMMENT = 25


@dataclass(frozen=True)
class DiffHeader:
    """What was compared, on which data, and how long the builds took."""

    base: str
    head: str
    seed: int
    scale: float
    base_seconds: float
    head_seconds: float
    slim: bool


def _counts(diffs: list[ModelDiff]) -> dict[str, int]:
    counts = {"changed": 0, "added": 0, "removed": 0, "identical": 0, NOT_COMPARED: 0}
    for diff in diffs:
        counts[diff.status] += 1
    return counts


def _delta(base: int | None, head: int | None) -> str:
    if base is None or head is None:
        return "–"
    change = head - base
    return f"{base:,} → {head:,} ({change:+,})" if change else f"{base:,}"


def _schema(diff: ModelDiff) -> str:
    parts = [f"+{c}" for c in diff.columns_added] + [f"−{c}" for c in diff.columns_removed]
    parts += [f"{c}: {old} → {new}" for c, old, new in diff.columns_retyped]
    return ", ".join(parts) or "–"


def _values(diff: ModelDiff) -> str:
    if diff.status != "changed":
        return "–"
    rows = f"only base {diff.only_base:,}, only head {diff.only_head:,}"
    if diff.key:
        rows += f", changed {diff.changed_rows:,} of {diff.matched_rows:,}"
    columns = ", ".join(f"{c.name} {c.matched_share:.1%}" for c in diff.columns[:6])
    return rows + (f"; matched: {columns}" if columns else "")


def markdown(header: DiffHeader, diffs: list[ModelDiff]) -> str:
    """The summary for a pull-request comment: counts, then one table row per changed model."""
    counts = _counts(diffs)
    build = "slim (state:modified+ over the base build)" if header.slim else "full"
    lines = [
        COMMENT_MARKER,
        "## Data diff",
        "",
        f"`{header.base[:12]}` (base) vs `{header.head}` (head), both built from the same generated "
        f"landing (seed {header.seed}, scale {header.scale:g}); head build {build}: "
        f"{header.head_seconds:.0f} s (base {header.base_seconds:.0f} s).",
        "",
        f"**{counts['changed']} changed**, {counts['added']} added, {counts['removed']} removed, "
        f"{counts['identical']} identical, {counts[NOT_COMPARED]} not compared "
        "(they describe dbt's own runs).",
    ]
    touched = [d for d in diffs if d.status not in ("identical", NOT_COMPARED)]
    if touched:
        lines += ["", "| model | status | rows (base → head) | schema | values (key-matched share) |",
                  "|---|---|---|---|---|"]
        for diff in touched[:_MAX_MODELS_IN_COMMENT]:
            lines.append(f"| `{diff.name}` | {diff.status} | {_delta(diff.base_rows, diff.head_rows)} | "
                         f"{_schema(diff)} | {_values(diff)} |")
        if len(touched) > _MAX_MODELS_IN_COMMENT:
            lines.append(f"| … {len(touched) - _MAX_MODELS_IN_COMMENT} more in the HTML report | | | | |")
    code_only = [d.name for d in diffs if d.status == "identical" and d.code_changed]
    if code_only:
        lines += ["", f"Code changed, data identical: {', '.join(f'`{n}`' for n in code_only)}."]
    return "\n".join(lines) + "\n"


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p class=muted>none</p>"
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row.values()) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _histogram(column: ColumnDiff) -> str:
    """Base and head counts per common bin, as an inline SVG of paired bars."""
    if not column.bin_edges:
        return ""
    peak = max([*column.base_bins, *column.head_bins, 1])
    width, height, bar = 24, 80, 10
    bars = []
    for i, (b, h) in enumerate(zip(column.base_bins, column.head_bins, strict=True)):
        for offset, count, css in ((0, b, "base"), (bar + 1, h, "head")):
            size = height * count / peak
            bars.append(f'<rect class="{css}" x="{i * width + offset}" y="{height - size:.1f}" '
                        f'width="{bar}" height="{size:.1f}"><title>{count}</title></rect>')
    low, high = column.bin_edges[0], column.bin_edges[-1]
    return (f'<svg width="{len(column.base_bins) * width}" height="{height + 14}" role="img" '
            f'aria-label="histogram of {html.escape(column.name)}">{"".join(bars)}'
            f'<text x="0" y="{height + 12}">{low:.4g}</text>'
            f'<text x="{len(column.base_bins) * width - 40}" y="{height + 12}">{high:.4g}</text></svg>')


def _column_detail(column: ColumnDiff) -> str:
    text = f"<h4>{html.escape(column.name)} — matched {column.matched_share:.2%}</h4>"
    if column.kind == "categorical":
        base, head = dict(column.base_top), dict(column.head_top)
        rows = [{"value": v, "base": base.get(v, "<top-k>"), "head": head.get(v, "<top-k>")}
                for v in dict.fromkeys([*base, *head])]
        text += _table(rows)
    elif column.kind == "numeric":
        rows = [{"statistic": s, "base": column.base_stats.get(s), "head": column.head_stats.get(s)}
                for s in column.base_stats]
        text += _table(rows) + _histogram(column)
    return text


def page(header: DiffHeader, diffs: list[ModelDiff]) -> str:
    """The whole diff as one HTML page with inline CSS and SVG; opens offline."""
    sections = []
    for diff in (d for d in diffs if d.status not in ("identical", NOT_COMPARED)):
        name = html.escape(diff.name)
        parts = [f"<h2 id='{name}'>{name} <small>{diff.status}</small></h2>",
                 f"<p>rows {_delta(diff.base_rows, diff.head_rows)}; key: "
                 f"{html.escape(', '.join(diff.key) or 'none (row multisets compared)')}; "
                 f"schema: {html.escape(_schema(diff))}; {html.escape(_values(diff))}</p>"]
        for kind, rows in diff.samples.items():
            parts.append(f"<h3>sample: {kind.replace('_', ' ')}</h3>{_table(rows)}")
        parts += [_column_detail(c) for c in diff.columns]
        sections.append("<section>" + "".join(parts) + "</section>")
    identical = ", ".join(html.escape(d.name) for d in diffs if d.status == "identical")
    summary = html.escape(markdown(header, diffs).split("\n")[4])
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Data diff</title><style>
body{{font-family:system-ui,sans-serif;margin:2em;max-width:70em}}
table{{border-collapse:collapse;margin:.5em 0}}
td,th{{border:1px solid #ccc;padding:2px 6px;font-size:90%}} .muted{{color:#777}}
rect.base{{fill:#8aa4c8}} rect.head{{fill:#d9822b}} text{{font-size:10px}}
</style></head><body><h1>Data diff</h1><p>{summary}</p>
<p>{"".join(f"<b>{n}</b> {k} &nbsp;" for k, n in _counts(diffs).items())}</p>
{"".join(sections)}<h2>Identical</h2><p class=muted>{identical or "none"}</p>
<p class=muted>Histogram bars: <span style="color:#8aa4c8">base</span>,
<span style="color:#d9822b">head</span>, on common bin edges.</p></body></html>
"""
