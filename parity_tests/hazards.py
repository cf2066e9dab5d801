"""Snowflake hazard lint for DuckDB-dialect SQL.

Models are written in DuckDB SQL and deployed to Snowflake through sqlglot
(``read="duckdb"`` -> ``write="snowflake"``).  sqlglot transpiles many constructs
without any error or warning even though their *meaning* differs on Snowflake
(different NULL handling, defaults, numeric types, anchoring, time zones ...).
:func:`find_hazards` parses the SQL with sqlglot's DuckDB dialect, walks the AST
and reports every node that matches one of the rules registered in this module
(see :data:`RULES` for the list, or ``python -m parity_tests.lint --list-rules``).
Every rule was checked against sqlglot 30.22's DuckDB->Snowflake output and
against DuckDB itself; constructs sqlglot already rewrites correctly (``concat``,
``||``, ``greatest``/``least``, ``DESC`` null ordering, literal list indexes,
bare ``DECIMAL``) are deliberately *not* reported.

Marker contract (for portable dispatch macros)
----------------------------------------------
A macro whose output is known to behave identically on DuckDB and Snowflake wraps
that output in a pair of block comments::

    /* portable:<macro_name> */ <expression> /* /portable */

* ``<macro_name>`` matches ``[A-Za-z_][A-Za-z0-9_.-]*`` (e.g. ``safe_divide``).
* The closing marker is exactly ``/* /portable */``; ``/* /portable:<macro_name> */``
  is also accepted and must then name the innermost open marker.
* Whitespace inside the comment delimiters is free; the word ``portable`` is
  lower case.  Markers must be ``/* ... */`` block comments (not ``--``).
* Everything strictly between the two comments is exempt: a hazard is skipped
  when its node lies entirely inside the span.  Spans may contain newlines,
  nested parentheses and nested marker pairs, and may appear anywhere an
  expression can (select list, function arguments, WHERE/ON/HAVING, ...).
* Markers inside string literals or ``--`` comments are ignored.
* An unclosed, unmatched or malformed marker is itself reported (construct
  ``portable-marker``) and exempts nothing.

Why spans and not "the node after the comment": sqlglot re-attaches comments to
whatever node it is building at the time, often a far-away ancestor (a marker in
a select item ends up on the SELECT; one inside ``coalesce(...)`` or a JOIN
condition can be dropped entirely), so exemptions are computed from the source
text offsets that sqlglot records on tokens instead.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError

__all__ = ["RULES", "Hazard", "SqlParseError", "find_hazards", "rule_table"]


@dataclass(frozen=True)
class Hazard:
    """One construct whose meaning differs between DuckDB and Snowflake."""

    path: str
    line: int
    construct: str
    why: str

    def format(self) -> str:
        """Render as ``path:line: construct — why`` (the CLI output format)."""
        return f"{self.path}:{self.line}: {self.construct} — {self.why}"


class SqlParseError(ValueError):
    """The SQL could not be parsed in the DuckDB dialect."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: cannot parse as DuckDB SQL: {message}")


# --------------------------------------------------------------------------- source scanning

_LEXEME = re.compile(r"--|/\*|'|\"|\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")
_JINJA = re.compile(r"\{\{|\{%|\{#")
_TOKEN_REPR = re.compile(r"<Token token_type: [^,]*, text: (.*?), line: .*?>")


@dataclass(frozen=True)
class _Comment:
    start: int  # offset of "/*"
    end: int  # offset just past "*/"
    body: str


def _scan(sql: str) -> tuple[str, list[_Comment]]:
    """Return ``sql`` with strings/comments blanked (same offsets) and its block comments."""
    masked = list(sql)
    comments: list[_Comment] = []

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
            comments.append(_Comment(start, end, sql[start + 2 : close if close >= 0 else n]))
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


_OPEN_MARKER = re.compile(r"\s*portable\s*:\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*")
_CLOSE_MARKER = re.compile(r"\s*/\s*portable(?:\s*:\s*([A-Za-z_][A-Za-z0-9_.\-]*))?\s*")
_MARKER_LIKE = re.compile(r"\s*/?\s*portable\b", re.IGNORECASE)


def _portable_spans(comments: list[_Comment]) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """Match ``/* portable:NAME */`` ... ``/* /portable */`` pairs.

    Returns the exempt spans as ``(first offset, offset past the end)`` and the
    marker problems as ``(offset, message)``.
    """
    spans: list[tuple[int, int]] = []
    problems: list[tuple[int, str]] = []
    stack: list[tuple[_Comment, str]] = []
    for comment in comments:
        if m := _OPEN_MARKER.fullmatch(comment.body):
            stack.append((comment, m.group(1)))
        elif m := _CLOSE_MARKER.fullmatch(comment.body):
            if not stack:
                problems.append(
                    (comment.start, "closing /* /portable */ without an opening /* portable:NAME */")
                )
                continue
            opener, name = stack.pop()
            if m.group(1) and m.group(1) != name:
                problems.append(
                    (
                        comment.start,
                        f"/* /portable:{m.group(1)} */ closes /* portable:{name} */ — names differ",
                    )
                )
                continue
            spans.append((opener.end, comment.start))
        elif _MARKER_LIKE.match(comment.body):
            problems.append(
                (
                    comment.start,
                    f"malformed marker /*{comment.body}*/ — expected /* portable:NAME */ or /* /portable */",
                )
            )
    for opener, name in stack:
        problems.append(
            (opener.start, f"/* portable:{name} */ is never closed with /* /portable */; nothing is exempt")
        )
    return spans, problems


# --------------------------------------------------------------------------- node positions

# Leaf nodes that sqlglot builds from a bare keyword without recording a position.
_KEYWORD_NODES: dict[type[exp.Expression], str] = {
    exp.CurrentDate: "current_date",
    exp.CurrentTimestamp: "current_timestamp",
    exp.CurrentTime: "current_time",
    exp.Localtimestamp: "localtimestamp",
    exp.Localtime: "localtime",
}


def _own_range(node: exp.Expression) -> tuple[int, int] | None:
    meta = getattr(node, "_meta", None)
    if meta and "start" in meta and "end" in meta:
        return meta["start"], meta["end"]
    return None


class _Source:
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


def _meta_range(node: exp.Expression) -> tuple[int, int] | None:
    lo = hi = None
    for sub in node.walk():
        r = _own_range(sub)
        if r is not None:
            lo = r[0] if lo is None else min(lo, r[0])
            hi = r[1] if hi is None else max(hi, r[1])
    return None if lo is None else (lo, hi)


def _locate(node: exp.Expression, src: _Source, region: tuple[int, int]) -> tuple[int, int]:
    """Best source range (inclusive offsets) for ``node``."""
    found = _meta_range(node)
    if found is not None:
        return found
    anchor = None
    parent = node.parent
    while parent is not None and anchor is None:
        anchor = _meta_range(parent)
        parent = parent.parent
    keyword_node = next((n for n in node.walk() if type(n) in _KEYWORD_NODES and _own_range(n) is None), None)
    if keyword_node is not None:
        keyword = _KEYWORD_NODES[type(keyword_node)]
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


# --------------------------------------------------------------------------- rule registry

RuleFn = Callable[[exp.Expression, _Source], "str | None"]


@dataclass(frozen=True)
class _Rule:
    construct: str
    summary: str
    check: RuleFn


_DISPATCH: dict[type[exp.Expression], list[_Rule]] = {}
RULES: dict[str, str] = {}
"""construct name -> one-line summary of what differs on Snowflake (for ``--list-rules``)."""


def _rule(construct: str, summary: str, *types: type[exp.Expression]) -> Callable[[RuleFn], RuleFn]:
    def register(check: RuleFn) -> RuleFn:
        rule = _Rule(construct, summary, check)
        RULES.setdefault(construct, summary)
        for node_type in types:
            _DISPATCH.setdefault(node_type, []).append(rule)
        return check

    return register


def rule_table() -> list[tuple[str, str]]:
    """All rule constructs with their one-line summaries, in registration order."""
    return list(RULES.items())


# --------------------------------------------------------------------------- helpers for rules


def _unparen(node: exp.Expression | None) -> exp.Expression | None:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _int_value(node: exp.Expression | None) -> int | None:
    node = _unparen(node)
    sign = 1
    if isinstance(node, exp.Neg):
        sign, node = -1, _unparen(node.this)
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return sign * int(node.this)
        except ValueError:
            return None
    return None


def _string_value(node: exp.Expression | None) -> str | None:
    node = _unparen(node)
    if isinstance(node, exp.Literal) and node.is_string:
        return node.this
    return None


def _is_nonnull_literal(node: exp.Expression | None) -> bool:
    node = _unparen(node)
    if isinstance(node, exp.Neg):
        node = _unparen(node.this)
    return isinstance(node, (exp.Literal, exp.Boolean))


def _is_coalesced(node: exp.Expression | None) -> bool:
    node = _unparen(node)
    return (
        isinstance(node, exp.Coalesce)
        and bool(node.expressions)
        and _is_nonnull_literal(node.expressions[-1])
    )


def _cast_type(node: exp.Expression | None) -> exp.DType | None:
    node = _unparen(node)
    if isinstance(node, exp.Cast) and isinstance(node.args.get("to"), exp.DataType):
        return node.args["to"].this
    return None


def _declared_type(node: exp.Expression) -> exp.DType | None:
    if isinstance(node, exp.ColumnDef):
        kind = node.args.get("kind")
        return kind.this if isinstance(kind, exp.DataType) else None
    return _cast_type(node)


def _aggregate_input(node: exp.Expression | None) -> exp.Expression | None:
    node = _unparen(node)
    if isinstance(node, exp.Order):
        node = _unparen(node.this)
    if isinstance(node, exp.Distinct) and len(node.expressions) == 1:
        node = _unparen(node.expressions[0])
    return node


def _anonymous_name(node: exp.Expression) -> str:
    return str(node.this).lower() if isinstance(node, exp.Anonymous) else ""


# --------------------------------------------------------------------------- the rules
# 1. division


@_rule("division", "DuckDB `/` returns DOUBLE; Snowflake NUMBER division has a fixed scale", exp.Div)
def _division(node: exp.Expression, src: _Source) -> str | None:
    if any(_cast_type(side) in (exp.DType.DOUBLE, exp.DType.FLOAT) for side in (node.this, node.expression)):
        return None
    return (
        "DuckDB `/` always returns DOUBLE (1/3 = 0.3333333333333333, x/0 = inf) while Snowflake divides "
        "NUMBERs to a fixed scale (1/3 = 0.333333) and raises on division by zero — cast one side to "
        "DOUBLE or use the safe_divide macro"
    )


@_rule("integer-division", "DuckDB `//` vs sqlglot's CAST(TRUNC(a / b) AS BIGINT)", exp.IntDiv)
def _integer_division(node: exp.Expression, src: _Source) -> str | None:
    return (
        "DuckDB `//` truncates only integer operands and is plain division for DOUBLE/DECIMAL "
        "(7.5 // 2 = 3.75), but sqlglot emits CAST(TRUNC(a / b) AS BIGINT) for Snowflake (= 3)"
    )


# 2. regex matching


def _anchored_both_ends(pattern: str | None) -> bool:
    return (
        pattern is not None
        and pattern.startswith("^")
        and pattern.endswith("$")
        and not pattern.endswith("\\$")
        and "|" not in pattern
    )


@_rule(
    "regexp_matches",
    "partial regex match on DuckDB, whole-string (anchored) REGEXP_LIKE on Snowflake",
    exp.RegexpLike,
    exp.RegexpILike,
)
def _regexp_matches(node: exp.Expression, src: _Source) -> str | None:
    if _anchored_both_ends(_string_value(node.expression)):
        return None
    return (
        "DuckDB regexp_matches()/`~*` succeed on a partial match, but sqlglot emits REGEXP_LIKE, which "
        "Snowflake anchors to the whole string (regexp_matches('abc', 'b') is true on DuckDB, false on "
        "Snowflake) — anchor the pattern as '^...$' or use like/contains()"
    )


@_rule("tilde-regex", "DuckDB `~` is a partial match; sqlglot emits a full match", exp.RegexpFullMatch)
def _tilde_regex(node: exp.Expression, src: _Source) -> str | None:
    if _own_range(node) is not None:
        # Only the function form regexp_full_match(...) records the position of its name token;
        # it is a real full match on DuckDB too.
        return None
    return (
        "DuckDB `~` / `!~` is a partial regex match (same as regexp_matches), but sqlglot reads it as a "
        "full match and emits REGEXP_FULL_MATCH for Snowflake — use regexp_matches on an anchored pattern"
    )


@_rule("similar-to", "DuckDB SIMILAR TO is a full-match regex; passed through unchanged", exp.SimilarTo)
def _similar_to(node: exp.Expression, src: _Source) -> str | None:
    return (
        "DuckDB SIMILAR TO takes a full-match regular expression (not SQL-standard %/_ patterns) and "
        "sqlglot passes SIMILAR TO through to Snowflake unchanged, where it is not the same operator — "
        "use regexp_matches on a '^...$' pattern"
    )


# 3. regex replace / extract


@_rule(
    "regexp_replace",
    "DuckDB replaces the first match only (options need 'g'); Snowflake replaces all",
    exp.RegexpReplace,
)
def _regexp_replace(node: exp.Expression, src: _Source) -> str | None:
    modifiers = node.args.get("modifiers")
    if modifiers is not None:
        shown = _string_value(modifiers)
        return (
            f"sqlglot passes the DuckDB options {shown!r} through as Snowflake REGEXP_REPLACE's 4th "
            "argument, which is the integer start position, so it fails or means something else — use a "
            "portable macro"
            if shown is not None
            else "sqlglot passes the DuckDB options argument through as Snowflake REGEXP_REPLACE's 4th "
            "argument (the start position) — use a portable macro"
        )
    pattern = _string_value(node.expression)
    if pattern is not None and pattern.startswith("^") and "|" not in pattern:
        return None  # anchored at the start: at most one match, so first == all
    return (
        "DuckDB regexp_replace replaces only the FIRST match unless the 'g' option is given, while "
        "Snowflake REGEXP_REPLACE (what sqlglot emits) replaces EVERY match — anchor the pattern with '^' "
        "or use a portable macro"
    )


@_rule("regexp_extract", "no match: '' on DuckDB, NULL from Snowflake REGEXP_SUBSTR", exp.RegexpExtract)
def _regexp_extract(node: exp.Expression, src: _Source) -> str | None:
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    if isinstance(parent, exp.Nullif) and _string_value(parent.expression) == "":
        return None
    if isinstance(parent, exp.Coalesce) and any(_string_value(e) == "" for e in parent.expressions):
        return None
    return (
        "DuckDB regexp_extract returns '' when nothing matches, but sqlglot emits REGEXP_SUBSTR, which "
        "returns NULL on Snowflake — wrap it in nullif(..., '') or coalesce(..., '')"
    )


# 4. NULL handling in string concatenation


@_rule("concat_ws", "DuckDB skips NULL args; sqlglot's COALESCE(x, '') leaves empty slots", exp.ConcatWs)
def _concat_ws(node: exp.Expression, src: _Source) -> str | None:
    if all(_is_nonnull_literal(arg) or _is_coalesced(arg) for arg in node.expressions):
        return None
    return (
        "DuckDB concat_ws skips NULL arguments (concat_ws(',', 'a', NULL, 'b') = 'a,b'); Snowflake "
        "CONCAT_WS returns NULL for any NULL argument and sqlglot works around that by wrapping each "
        "argument in COALESCE(x, ''), which gives 'a,,b' — coalesce the arguments yourself"
    )


# 5. string_agg default separator


@_rule("string_agg-separator", "default separator ',' on DuckDB, '' for Snowflake LISTAGG", exp.GroupConcat)
def _string_agg(node: exp.Expression, src: _Source) -> str | None:
    if node.args.get("separator") is not None:
        return None
    return (
        "string_agg/listagg/group_concat without a separator joins with ',' on DuckDB but Snowflake "
        "LISTAGG defaults to '' (no separator) — pass the separator explicitly"
    )


# 6. array_agg and NULLs


def _filters_out_nulls(filter_node: exp.Filter, value: exp.Expression) -> bool:
    where = filter_node.expression
    for is_node in where.find_all(exp.Is) if where is not None else ():
        if (
            isinstance(is_node.expression, exp.Null)
            and isinstance(is_node.parent, exp.Not)
            and _unparen(is_node.this) == value
        ):
            return True
    return False


@_rule(
    "array_agg-nulls", "DuckDB array_agg keeps NULL elements; Snowflake ARRAY_AGG drops them", exp.ArrayAgg
)
def _array_agg(node: exp.Expression, src: _Source) -> str | None:
    value = _aggregate_input(node.this)
    if value is None or _is_nonnull_literal(value) or _is_coalesced(value):
        return None
    parent = node.parent
    if isinstance(parent, exp.Filter) and _filters_out_nulls(parent, value):
        return None
    return (
        "DuckDB array_agg/list keep NULL elements but Snowflake ARRAY_AGG drops them, so list lengths "
        "and positions differ — add FILTER (WHERE x IS NOT NULL)"
    )


# 7. substring start position


@_rule("substring-start", "start position <= 0 counts differently", exp.Substring)
def _substring_start(node: exp.Expression, src: _Source) -> str | None:
    start = _int_value(node.args.get("start"))
    if start is None or start > 0:
        return None
    if start == 0:
        return (
            "substring start 0: DuckDB counts a virtual position before the string "
            "(substring('hello', 0, 3) = 'he') while Snowflake treats 0 as 1 ('hel') — positions start at 1"
        )
    return (
        f"substring start {start}: DuckDB clips virtual positions before the string "
        "(substring('hello', -7, 3) = 'h'); results only agree with Snowflake while |start| <= length — "
        "use right()/length() arithmetic from a positive start"
    )


# 8. split_part index


@_rule("split_part-index", "part index 0: '' on DuckDB, first part on Snowflake", exp.SplitPart)
def _split_part_index(node: exp.Expression, src: _Source) -> str | None:
    if _int_value(node.args.get("part_index")) != 0:
        return None
    return "split_part index 0 returns '' on DuckDB but Snowflake treats part 0 as part 1 — parts are 1-based"


# 9. default window frame of first/last/nth_value


@_rule(
    "window-default-frame",
    "last_value/nth_value (first_value IGNORE NULLS) with ORDER BY and no frame",
    exp.Window,
)
def _window_default_frame(node: exp.Expression, src: _Source) -> str | None:
    if node.args.get("spec") is not None or node.args.get("order") is None:
        return None
    func, ignore_nulls = node.this, False
    if isinstance(func, (exp.IgnoreNulls, exp.RespectNulls)):
        ignore_nulls, func = isinstance(func, exp.IgnoreNulls), func.this
    if isinstance(func, exp.LastValue):
        name = "last_value"
    elif isinstance(func, exp.NthValue):
        name = "nth_value"
    elif isinstance(func, exp.FirstValue) and ignore_nulls:
        name = "first_value(... IGNORE NULLS)"
    else:
        return None
    return (
        f"{name} with ORDER BY but no frame: DuckDB uses RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW "
        "(a running value) while Snowflake's default for this function is ROWS BETWEEN UNBOUNDED PRECEDING "
        "AND UNBOUNDED FOLLOWING (the whole partition) — spell the frame out"
    )


# 10. time zones


_TZ_TYPES = (exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ)


@_rule(
    "timestamptz",
    "TIMESTAMPTZ values depend on the session time zone (DuckDB TimeZone vs Snowflake TIMEZONE)",
    exp.Cast,
    exp.TryCast,
    exp.ColumnDef,
)
def _timestamptz(node: exp.Expression, src: _Source) -> str | None:
    if _declared_type(node) not in _TZ_TYPES:
        return None
    return (
        "TIMESTAMPTZ/TIMESTAMP WITH TIME ZONE makes results depend on the session time zone (DuckDB's "
        "TimeZone setting vs Snowflake's TIMEZONE parameter, account default America/Los_Angeles), e.g. "
        "when cast on to DATE or VARCHAR — keep naive UTC TIMESTAMPs"
    )


@_rule(
    "at-time-zone",
    "AT TIME ZONE / timezone() convert in a different direction on Snowflake",
    exp.AtTimeZone,
    exp.Anonymous,
)
def _at_time_zone(node: exp.Expression, src: _Source) -> str | None:
    if isinstance(node, exp.Anonymous) and _anonymous_name(node) != "timezone":
        return None
    return (
        "DuckDB `ts AT TIME ZONE z` / timezone(z, ts) reads a naive timestamp as wall-clock time in z and "
        "returns TIMESTAMPTZ (rendered in the session TimeZone); sqlglot emits CONVERT_TIMEZONE(z, ts) or "
        "passes timezone() through, and Snowflake's 2-argument CONVERT_TIMEZONE converts FROM the session "
        "time zone TO z — direction and type differ"
    )


@_rule(
    "to_timestamp", "DuckDB to_timestamp() returns TIMESTAMPTZ; Snowflake TO_TIMESTAMP is NTZ", exp.UnixToTime
)
def _to_timestamp(node: exp.Expression, src: _Source) -> str | None:
    if node.args.get("scale") is not None:
        return None
    return (
        "DuckDB to_timestamp(epoch_seconds) returns TIMESTAMPTZ (shown and cast in the session TimeZone) "
        "while Snowflake TO_TIMESTAMP returns TIMESTAMP_NTZ by default — use make_timestamp(us) "
        "(a naive TIMESTAMP on both)"
    )


# 11. epoch


_EPOCH_FUNCS = {"epoch_us", "epoch_ns", "epoch_second", "epoch_seconds"}


@_rule(
    "epoch",
    "DuckDB epoch()/extract(epoch) are DOUBLE seconds; Snowflake epoch parts are integers",
    exp.TimeToUnix,
    exp.Extract,
    exp.UnixToTime,
    exp.Anonymous,
)
def _epoch(node: exp.Expression, src: _Source) -> str | None:
    if isinstance(node, exp.UnixToTime):
        if _int_value(node.args.get("scale")) != 3:
            return None
        return (
            "DuckDB epoch_ms(ts) returns milliseconds since the epoch, but sqlglot always emits "
            "TO_TIMESTAMP(x, 3) — the inverse conversion; only epoch_ms(<integer>) survives transpilation"
        )
    if isinstance(node, exp.Extract):
        if node.this is None or node.this.name.lower() not in ("epoch", "epoch_second", "epoch_seconds"):
            return None
    elif isinstance(node, exp.Anonymous):
        name = _anonymous_name(node)
        first = node.expressions[0] if node.expressions else None
        is_epoch_part = name in ("date_part", "datepart") and (_string_value(first) or "").lower() == "epoch"
        if name not in _EPOCH_FUNCS and not is_epoch_part:
            return None
    return (
        "DuckDB epoch()/extract(epoch ...)/date_part('epoch', ...) return DOUBLE seconds including the "
        "fraction, but sqlglot emits EXTRACT(epoch_second ...)/DATE_PART(EPOCH ...), which are integers "
        "on Snowflake (epoch_us/epoch_ns are passed through unchanged)"
    )


# 12. random / uuid


@_rule("random", "DuckDB random() is DOUBLE in [0, 1); Snowflake RANDOM() is a 64-bit integer", exp.Rand)
def _random(node: exp.Expression, src: _Source) -> str | None:
    return (
        "DuckDB random() is a DOUBLE in [0, 1) but Snowflake RANDOM() is a signed 64-bit integer (and both "
        "are non-deterministic, so parity runs cannot match)"
    )


@_rule("uuid", "non-deterministic: values never match between engines or runs", exp.Uuid)
def _uuid(node: exp.Expression, src: _Source) -> str | None:
    return (
        "uuid()/gen_random_uuid() is non-deterministic (UUID on DuckDB, VARCHAR from UUID_STRING() on "
        "Snowflake), so rows never match between engines — derive keys from md5() of business columns"
    )


# 13. hash


@_rule("hash", "different hash algorithm and range (UBIGINT vs signed 64-bit)", exp.Anonymous)
def _hash(node: exp.Expression, src: _Source) -> str | None:
    if _anonymous_name(node) != "hash":
        return None
    return (
        "DuckDB hash() is an unsigned 64-bit value from DuckDB's own hash function while Snowflake HASH() is "
        "a different signed 64-bit function, so values never match — use md5() or the surrogate-key macro"
    )


# 14. try_cast


@_rule("try_cast", "Snowflake TRY_CAST needs string input; sqlglot otherwise emits a plain CAST", exp.TryCast)
def _try_cast(node: exp.Expression, src: _Source) -> str | None:
    if _cast_type(node) in exp.DataType.TEXT_TYPES:
        return None  # a cast to text cannot fail, so CAST and TRY_CAST agree
    emitted = node.copy().sql(dialect="snowflake", unsupported_level=ErrorLevel.IGNORE)
    if emitted.upper().startswith("TRY_CAST"):
        return None
    operand = _unparen(node.this)
    subject = (
        f"column {operand.sql(dialect='duckdb')} (unless it is cast to VARCHAR first — sqlglot cannot see "
        "that a column is a string)"
        if isinstance(operand, exp.Column)
        else "an operand that is not a string"
    )
    return (
        f"try_cast of {subject}: Snowflake TRY_CAST only accepts string input, so sqlglot emits a plain "
        "CAST and bad values raise on Snowflake instead of returning NULL — write "
        "try_cast(cast(x as varchar) as T)"
    )


# 15. mixed-case identifiers


_CASE_FOLDED_SLOTS = {
    (exp.Column, "this"),
    (exp.Alias, "alias"),
    (exp.TableAlias, "columns"),
    (exp.ColumnDef, "this"),
}


@_rule(
    "mixed-case-identifier",
    "Snowflake upper-cases unquoted identifiers; DuckDB keeps their case",
    exp.Identifier,
)
def _mixed_case_identifier(node: exp.Expression, src: _Source) -> str | None:
    name = node.this
    if node.args.get("quoted") or not isinstance(name, str):
        return None
    if not (any(c.isupper() for c in name) and any(c.islower() for c in name)):
        return None
    if node.parent is None or (type(node.parent), node.arg_key) not in _CASE_FOLDED_SLOTS:
        return None
    if node.find_ancestor(exp.Set, exp.SetItem) is not None:
        return None  # SET TimeZone = ... names a setting, not a column
    return (
        f"unquoted {name} is folded to {name.upper()} on Snowflake but keeps its case on DuckDB, so output "
        "column names (and matches against quoted identifiers) differ — use snake_case or quote it"
    )


# extra: log


@_rule("log-base", "DuckDB log(x) is base 10; sqlglot emits Snowflake LN(x)", exp.Log)
def _log_base(node: exp.Expression, src: _Source) -> str | None:
    if node.args.get("expression") is not None:
        return None
    return (
        "DuckDB log(x) is the base-10 logarithm (log(100) = 2) but sqlglot emits LN(x), the natural "
        "logarithm, for Snowflake — write log10(x) or ln(x)"
    )


# extra: list subscripts


@_rule("array-index", "1-based DuckDB lists vs 0-based Snowflake arrays for non-literal indexes", exp.Bracket)
def _array_index(node: exp.Expression, src: _Source) -> str | None:
    if len(node.expressions) != 1:
        return None
    index = _unparen(node.expressions[0])
    if isinstance(index, exp.Slice):
        return (
            "list slice: DuckDB slices are 1-based and inclusive, and sqlglot passes the slice syntax "
            "through to Snowflake unchanged — use a portable macro"
        )
    if _string_value(index) is not None:
        return None  # struct / map key
    value = _int_value(index)
    if value is not None and value >= 0:
        return None  # positive literal: sqlglot already shifted it to 0-based
    if value is not None:
        return (
            "list index <= 0 or negative: DuckDB counts negative indexes from the end (arr[-1] is the last "
            "element) but sqlglot shifts the literal by one for Snowflake (arr[-2]) — use a portable macro"
        )
    return (
        "computed list index: DuckDB lists are 1-based, Snowflake arrays 0-based, and sqlglot only shifts "
        "integer literals, so arr[i] reads the next element on Snowflake (unless this is a MAP/STRUCT key)"
    )


# extra: week differences


_WEEK_UNITS = {"week", "weeks", "w", "wk", "wks", "weekofyear", "woy", "yearweek"}


@_rule("date_diff-week", "DuckDB counts whole 7-day periods, Snowflake counts week boundaries", exp.DateDiff)
def _date_diff_week(node: exp.Expression, src: _Source) -> str | None:
    unit = node.args.get("unit")
    if unit is None or unit.name.lower() not in _WEEK_UNITS:
        return None
    return (
        "DuckDB date_diff('week', a, b) counts whole 7-day periods (Sun 2024-01-07 -> Mon 2024-01-08 is 0) "
        "while Snowflake DATEDIFF(week, ...) counts week boundaries crossed (1, and WEEK_START-dependent) — "
        "diff in days instead"
    )


# extra: strftime / strptime format strings


_SAFE_SPECIFIERS = set("YmdHMSyf")


def _format_problem(fmt: str) -> str | None:
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%":
            spec = fmt[i + 1 : i + 2]
            if spec not in _SAFE_SPECIFIERS or not spec:
                return f"specifier %{spec}"
            i += 2
            continue
        if ch.isalpha():
            return f"literal letter {ch!r}"
        i += 1
    return None


@_rule(
    "strftime-format",
    "format codes outside %Y %m %d %H %M %S %y %f are not translated",
    exp.TimeToStr,
    exp.StrToTime,
    exp.StrToDate,
)
def _strftime_format(node: exp.Expression, src: _Source) -> str | None:
    fmt = _string_value(node.args.get("format"))
    if fmt is None:
        return (
            "strftime/strptime format is not a string literal (or the arguments are in DuckDB's "
            "(format, value) order), so sqlglot cannot translate it to a Snowflake format model"
        )
    problem = _format_problem(fmt)
    if problem is None:
        return None
    return (
        f"strftime/strptime format {fmt!r} contains {problem}: sqlglot only translates %Y %m %d %H %M %S %y "
        "%f reliably and copies the rest into the Snowflake format model, where it means something else "
        "(%-d becomes zero-padded DD, %A/%j stay literal, letters are format elements)"
    )


# extra: FLOAT is single precision on DuckDB


@_rule(
    "float4",
    "DuckDB FLOAT/REAL is 4-byte; Snowflake FLOAT is 8-byte double",
    exp.Cast,
    exp.TryCast,
    exp.ColumnDef,
)
def _float4(node: exp.Expression, src: _Source) -> str | None:
    if _declared_type(node) != exp.DType.FLOAT:
        return None
    return (
        "DuckDB FLOAT/REAL/FLOAT4 is 4-byte single precision (0.1 -> 0.10000000149) while Snowflake FLOAT "
        "is an 8-byte double — use DOUBLE"
    )


# extra: summing booleans


@_rule("sum-boolean", "DuckDB sums BOOLEAN as 0/1; Snowflake SUM/AVG reject BOOLEAN", exp.Sum, exp.Avg)
def _sum_boolean(node: exp.Expression, src: _Source) -> str | None:
    value = _aggregate_input(node.this)
    if not isinstance(value, (exp.Predicate, exp.Connector, exp.Not, exp.Boolean)):
        return None
    return (
        "DuckDB sums/averages a BOOLEAN expression as 0/1, but Snowflake SUM/AVG do not accept BOOLEAN "
        "— use count_if(...) or sum(case when ... then 1 else 0 end)"
    )


# extra: wall clock


_CLOCK_FUNCS = {"now", "get_current_timestamp", "transaction_timestamp", "get_current_time", "today"}


@_rule(
    "current-time",
    "wall clock evaluated in different session time zones",
    exp.CurrentDate,
    exp.CurrentTimestamp,
    exp.CurrentTime,
    exp.Localtimestamp,
    exp.Localtime,
    exp.Anonymous,
)
def _current_time(node: exp.Expression, src: _Source) -> str | None:
    if isinstance(node, exp.Anonymous) and _anonymous_name(node) not in _CLOCK_FUNCS:
        return None
    return (
        "wall-clock value: DuckDB evaluates it in its TimeZone setting (the machine's zone by default), "
        "Snowflake in the session TIMEZONE (account default America/Los_Angeles), so dates can differ by "
        "a day and runs never match — pass the run date in as a variable"
    )


RULES.setdefault(
    "portable-marker",
    "unclosed, unmatched or malformed /* portable:NAME */ ... /* /portable */ marker",
)


# --------------------------------------------------------------------------- entry point


@contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    """Silence sqlglot's informational warnings (e.g. index-offset notes) while linting."""
    logger = logging.getLogger("sqlglot")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _parse(sql: str, path: str, src: _Source) -> list[exp.Expression | None]:
    jinja = _JINJA.search(src.masked)
    if jinja is not None:
        raise SqlParseError(
            path, src.line(jinja.start()), "contains Jinja; lint the compiled SQL (target/compiled/...)"
        )
    try:
        return sqlglot.parse(sql, read="duckdb")
    except ParseError as err:
        first = err.errors[0] if err.errors else {}
        description = _TOKEN_REPR.sub(r"'\1'", str(first.get("description") or err).splitlines()[0])
        raise SqlParseError(path, int(first.get("line") or 1), description) from None
    except SqlglotError as err:
        lines = str(err).splitlines() or ["unparseable SQL"]
        line_match = re.search(r"[Ll]ine (\d+)", str(err))
        raise SqlParseError(path, int(line_match.group(1)) if line_match else 1, lines[0]) from None


def find_hazards(sql: str, path: str = "<sql>") -> list[Hazard]:
    """Return the Snowflake hazards in DuckDB-dialect ``sql``, sorted by line.

    ``path`` is only used to label the findings.  Raises :class:`SqlParseError`
    when the text does not parse in sqlglot's DuckDB dialect (or still contains
    Jinja).  Nodes inside a ``/* portable:NAME */ ... /* /portable */`` span are
    exempt (see the module docstring for the exact contract).
    """
    masked, comments = _scan(sql)
    src = _Source(sql, masked)
    with _quiet_sqlglot():
        statements = _parse(sql, path, src)
        spans, marker_problems = _portable_spans(comments)
        found: set[Hazard] = {
            Hazard(path, src.line(offset), "portable-marker", message) for offset, message in marker_problems
        }
        regions = src.statement_regions(len(statements))
        for statement, region in zip(statements, regions, strict=True):
            if statement is None:
                continue
            for node in statement.walk():
                for rule in _DISPATCH.get(type(node), ()):
                    why = rule.check(node, src)
                    if why is None:
                        continue
                    start, end = _locate(node, src, region)
                    if any(lo <= start and end < hi for lo, hi in spans):
                        continue
                    found.add(Hazard(path, src.line(start), rule.construct, why))
    return sorted(found, key=lambda h: (h.line, h.construct, h.why))
