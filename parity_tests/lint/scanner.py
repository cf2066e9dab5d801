"""The source side of the lint: strings and comments, portable markers, node positions.

sqlglot's AST does not keep comments where they were written, and many nodes carry no position, so
the lint reads the source text itself: :func:`scan` blanks strings and comments (keeping offsets),
:func:`portable_spans` pairs the ``/* portable:NAME reason */`` ... ``/* /portable */`` markers and
:func:`locate` finds the source range of an AST node.

Marker contract (for portable dispatch macros and reviewed exceptions)
------------------------------------------------------------------------
Output known to behave identically on DuckDB and Snowflake is wrapped in a pair of block comments::

    /* portable:<name> <reason> */ <expression> /* /portable */

* ``<name>`` matches ``[A-Za-z_][A-Za-z0-9_.-]*`` (the macro's name, e.g. ``safe_divide``, or a short
  label of the reviewed exception).  ``<reason>`` is required: free text saying why the expression
  means the same on both engines (e.g. ``both sides cast to double``).
* The closing marker is exactly ``/* /portable */``; ``/* /portable:<name> */`` is also accepted and
  must then name the innermost open marker.
* Whitespace inside the comment delimiters is free; the word ``portable`` is lower case.  Markers
  must be ``/* ... */`` block comments (not ``--``).
* Everything strictly between the two comments is exempt: a finding is skipped when its node lies
  entirely inside the span.  Spans may contain newlines, nested parentheses and nested marker pairs,
  and may appear anywhere an expression can (select list, function arguments, WHERE/ON/HAVING, ...).
* Markers inside string literals or ``--`` comments are ignored.
* An unclosed, unmatched, malformed or reason-less marker is itself reported (construct
  ``portable-marker``) and exempts nothing.

Why spans and not "the node after the comment": sqlglot re-attaches comments to whatever node it is
building at the time, often a far-away ancestor (a marker in a select item ends up on the SELECT; one
inside ``coalesce(...)`` or a JOIN condition can be dropped entirely), so exemptions are computed
from the source text offsets that sqlglot records on tokens instead.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from sqlglot import exp

_LEXEME = re.compile(r"--|/\*|'|\"|\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")
JINJA = re.compile(r"\{\{|\{%|\{#")
TOKEN_REPR = re.compile(r"<Token token_type: [^,]*, text: (.*?), line: .*?>")


@dataclass(frozen=True)
class Comment:
    start: int  # offset of "/*"
    end: int  # offset just past "*/"
    body: str


def scan(sql: str) -> tuple[str, list[Comment]]:
    """Return ``sql`` with strings/comments blanked (same offsets) and its block comments."""
    masked = list(sql)
    comments: list[Comment] = []

    def blank(a: int, b: int) -> None:
        for k in range(a, b):
            if masked[k] != "\n":
                masked[k] = " "

    i, n = 0, len(sql)
    while True:
        m = _LEXEME.search(sql, i)
        if m is None:
            break
        start, tok = m.start(), m.group()
        if tok == "--":
            end = sql.find("\n", start)
            end = n if end < 0 else end
        elif tok == "/*":
            close = sql.find("*/", start + 2)
            end = n if close < 0 else close + 2
            comments.append(Comment(start, end, sql[start + 2 : close if close >= 0 else n]))
        elif tok in ("'", '"'):
            backslash = (
                tok == "'"
                and start > 0
                and sql[start - 1] in "eE"
                and (start < 2 or not (sql[start - 2].isalnum() or sql[start - 2] == "_"))
            )
            j = start + 1
            while j < n:
                if backslash and sql[j] == "\\":
                    j += 2
                    continue
                if sql[j] == tok:
                    if j + 1 < n and sql[j + 1] == tok:
                        j += 2
                        continue
                    break
                j += 1
            end = min(j + 1, n)
        else:  # dollar-quoted string $tag$ ... $tag$
            if start > 0 and (sql[start - 1].isalnum() or sql[start - 1] == "_"):
                i = start + 1
                continue
            close = sql.find(tok, m.end())
            end = n if close < 0 else close + len(tok)
        blank(start, end)
        i = max(end, start + 1)
    return "".join(masked), comments


_OPEN_MARKER = re.compile(r"\s*portable\s*:\s*([A-Za-z_][A-Za-z0-9_.\-]*)(?:\s+(.*?))?\s*", re.DOTALL)
_CLOSE_MARKER = re.compile(r"\s*/\s*portable(?:\s*:\s*([A-Za-z_][A-Za-z0-9_.\-]*))?\s*")
_MARKER_LIKE = re.compile(r"\s*/?\s*portable\b", re.IGNORECASE)


def portable_spans(comments: list[Comment]) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """Match ``/* portable:NAME */`` ... ``/* /portable */`` pairs.

    Returns the exempt spans as ``(first offset, offset past the end)`` and the
    marker problems as ``(offset, message)``.
    """
    spans: list[tuple[int, int]] = []
    problems: list[tuple[int, str]] = []
    stack: list[tuple[Comment, str, bool]] = []
    for comment in comments:
        if m := _OPEN_MARKER.fullmatch(comment.body):
            if not (m.group(2) or "").strip():
                problems.append(
                    (
                        comment.start,
                        f"/* portable:{m.group(1)} */ gives no reason; write /* portable:{m.group(1)} "
                        "<why it means the same on DuckDB and Snowflake> */; nothing is exempt",
                    )
                )
            stack.append((comment, m.group(1), bool((m.group(2) or "").strip())))
        elif m := _CLOSE_MARKER.fullmatch(comment.body):
            if not stack:
                problems.append(
                    (comment.start, "closing /* /portable */ without an opening /* portable:NAME */")
                )
                continue
            opener, name, has_reason = stack.pop()
            if m.group(1) and m.group(1) != name:
                problems.append(
                    (
                        comment.start,
                        f"/* /portable:{m.group(1)} */ closes /* portable:{name} */ — names differ",
                    )
                )
                continue
            if has_reason:
                spans.append((opener.end, comment.start))
        elif _MARKER_LIKE.match(comment.body):
            problems.append(
                (
                    comment.start,
                    f"malformed marker /*{comment.body}*/ — expected /* portable:NAME reason */ "
                    "or /* /portable */",
                )
            )
    for opener, name, _ in stack:
        problems.append(
            (opener.start, f"/* portable:{name} */ is never closed with /* /portable */; nothing is exempt")
        )
    return spans, problems


# --------------------------------------------------------------------------- node positions

# Leaf nodes that sqlglot builds from a bare keyword without recording a position.
KEYWORD_NODES: dict[type[exp.Expression], str] = {
    exp.CurrentDate: "current_date",
    exp.CurrentTimestamp: "current_timestamp",
    exp.CurrentTime: "current_time",
    exp.Localtimestamp: "localtimestamp",
    exp.Localtime: "localtime",
}


def own_range(node: exp.Expression) -> tuple[int, int] | None:
    meta = getattr(node, "_meta", None)
    if meta and "start" in meta and "end" in meta:
        return meta["start"], meta["end"]
    return None


class Source:
    """Offsets, line numbers and statement regions of one SQL text."""

    def __init__(self, sql: str, masked: str) -> None:
        self.sql = sql
        self.masked = masked
        self._newlines = [i for i, ch in enumerate(sql) if ch == "\n"]
        self._occurrences: dict[str, list[int]] = {}

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def occurrences(self, keyword: str) -> list[int]:
        if keyword not in self._occurrences:
            pattern = re.compile(rf"(?<![\w$]){re.escape(keyword)}(?![\w$])", re.IGNORECASE)
            self._occurrences[keyword] = [m.start() for m in pattern.finditer(self.masked)]
        return self._occurrences[keyword]

    def statement_regions(self, count: int) -> list[tuple[int, int]]:
        """Split at top-level ``;`` to get one region per parsed statement (best effort)."""
        bounds, start = [], 0
        for i, ch in enumerate(self.masked):
            if ch == ";":
                bounds.append((start, i))
                start = i + 1
        bounds.append((start, len(self.masked)))
        if len(bounds) == count + 1 and not self.masked[bounds[-1][0] :].strip():
            bounds.pop()
        return bounds if len(bounds) == count else [(0, len(self.masked))] * count


def meta_range(node: exp.Expression) -> tuple[int, int] | None:
    lo = hi = None
    for sub in node.walk():
        r = own_range(sub)
        if r is not None:
            lo = r[0] if lo is None else min(lo, r[0])
            hi = r[1] if hi is None else max(hi, r[1])
    return None if lo is None else (lo, hi)


def locate(node: exp.Expression, src: Source, region: tuple[int, int]) -> tuple[int, int]:
    """Best source range (inclusive offsets) for ``node``."""
    found = meta_range(node)
    if found is not None:
        return found
    anchor = None
    parent = node.parent
    while parent is not None and anchor is None:
        anchor = meta_range(parent)
        parent = parent.parent
    keyword_node = next((n for n in node.walk() if type(n) in KEYWORD_NODES and own_range(n) is None), None)
    if keyword_node is not None:
        keyword = KEYWORD_NODES[type(keyword_node)]
        candidates = [o for o in src.occurrences(keyword) if region[0] <= o < region[1]]
        if candidates:
            if anchor is None:
                best = candidates[0]
            else:
                best = min(
                    candidates,
                    key=lambda o: (
                        0 if anchor[0] <= o <= anchor[1] else min(abs(o - anchor[0]), abs(o - anchor[1]))
                    ),
                )
            return best, best + len(keyword) - 1
    if anchor is not None:
        return anchor
    start = (
        region[0] + len(src.masked[region[0] : region[1]]) - len(src.masked[region[0] : region[1]].lstrip())
    )
    return start, start
