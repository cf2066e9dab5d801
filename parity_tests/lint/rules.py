"""The semantic rules: when a construct that exists on both engines means something else on Snowflake.

Each rule is registered with :func:`rule` for the sqlglot node types it inspects and returns the
reason (Snowflake behaviour and the portable rewrite) or None when the node is portable.  The
registry of constructs (:mod:`parity_tests.lint.registry`) names the rules that guard each construct;
a construct no rule or entry covers is reported as unverified.  Every rule was checked against
sqlglot 30.22's DuckDB->Snowflake output and against DuckDB itself; constructs sqlglot already
rewrites correctly (``concat``, ``||``, ``greatest``/``least``, ``DESC`` null ordering, literal list
indexes, bare ``DECIMAL``) are deliberately not reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ErrorLevel

from parity_tests.lint.scanner import Source, own_range

RuleFn = Callable[[exp.Expression, Source], "str | None"]


@dataclass(frozen=True)
class Rule:
    """A named check: returns why the node differs on Snowflake, or None when it is portable here."""

    construct: str
    summary: str
    check: RuleFn


DISPATCH: dict[type[exp.Expression], list[Rule]] = {}
RULES: dict[str, str] = {}
"""construct name -> one-line summary of what differs on Snowflake (for ``--list-rules``)."""


def rule(construct: str, summary: str, *types: type[exp.Expression]) -> Callable[[RuleFn], RuleFn]:
    """Register the decorated check as rule ``construct`` for the given sqlglot node types."""

    def register(check: RuleFn) -> RuleFn:
        entry = Rule(construct, summary, check)
        RULES.setdefault(construct, summary)
        for node_type in types:
            DISPATCH.setdefault(node_type, []).append(entry)
        return check

    return register


def always(construct: str, summary: str, why: str, *types: type[exp.Expression]) -> None:
    """Register rule ``construct`` that reports every node of the given types with ``why``."""
    rule(construct, summary, *types)(lambda node, src: why)


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


def _known_type(node: exp.Expression | None) -> exp.DType | None:
    """The type ``node`` visibly has: a cast's target, or a column's type from the catalogue.

    Column types are only known when the lint was given a schema (``find_hazards(..., schema=...)``,
    ``--db``); the engine then sets ``Column.type`` from sqlglot's type annotation.
    """
    node = _unparen(node)
    cast = _cast_type(node)
    if cast is not None:
        return cast
    if isinstance(node, exp.Column) and isinstance(node.type, exp.DataType):
        return None if node.type.this == exp.DType.UNKNOWN else node.type.this
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


@rule("division", "DuckDB `/` returns DOUBLE; Snowflake NUMBER division has a fixed scale", exp.Div)
def _division(node: exp.Expression, src: Source) -> str | None:
    if any(_known_type(side) in (exp.DType.DOUBLE, exp.DType.FLOAT) for side in (node.this, node.expression)):
        return None
    return (
        "DuckDB `/` always returns DOUBLE (1/3 = 0.3333333333333333, x/0 = inf) while Snowflake divides "
        "NUMBERs to a fixed scale (1/3 = 0.333333) and raises on division by zero — cast one side to "
        "DOUBLE or use the safe_divide macro"
    )


always(
    "integer-division",
    "DuckDB `//` vs sqlglot's CAST(TRUNC(a / b) AS BIGINT)",
    (
        "DuckDB `//` truncates only integer operands and is plain division for DOUBLE/DECIMAL (7.5 // 2 ="
        " 3.75), but sqlglot emits CAST(TRUNC(a / b) AS BIGINT) for Snowflake (= 3)"
    ),
    exp.IntDiv,
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


@rule(
    "regexp_matches",
    "partial regex match on DuckDB, whole-string (anchored) REGEXP_LIKE on Snowflake",
    exp.RegexpLike,
    exp.RegexpILike,
)
def _regexp_matches(node: exp.Expression, src: Source) -> str | None:
    if _anchored_both_ends(_string_value(node.expression)):
        return None
    return (
        "DuckDB regexp_matches()/`~*` succeed on a partial match, but sqlglot emits REGEXP_LIKE, which "
        "Snowflake anchors to the whole string (regexp_matches('abc', 'b') is true on DuckDB, false on "
        "Snowflake) — anchor the pattern as '^...$' or use like/contains()"
    )


@rule("tilde-regex", "DuckDB `~` is a partial match; sqlglot emits a full match", exp.RegexpFullMatch)
def _tilde_regex(node: exp.Expression, src: Source) -> str | None:
    if own_range(node) is not None:
        # Only the function form regexp_full_match(...) records the position of its name token;
        # it is a real full match on DuckDB too.
        return None
    return (
        "DuckDB `~` / `!~` is a partial regex match (same as regexp_matches), but sqlglot reads it as a "
        "full match and emits REGEXP_FULL_MATCH for Snowflake — use regexp_matches on an anchored pattern"
    )


always(
    "similar-to",
    "DuckDB SIMILAR TO is a full-match regex; passed through unchanged",
    (
        "DuckDB SIMILAR TO takes a full-match regular expression (not SQL-standard %/_ patterns) and "
        "sqlglot passes SIMILAR TO through to Snowflake unchanged, where it is not the same operator — "
        "use regexp_matches on a '^...$' pattern"
    ),
    exp.SimilarTo,
)


# 3. regex replace / extract


@rule(
    "regexp_replace",
    "DuckDB replaces the first match only (options need 'g'); Snowflake replaces all",
    exp.RegexpReplace,
)
def _regexp_replace(node: exp.Expression, src: Source) -> str | None:
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


@rule("regexp_extract", "no match: '' on DuckDB, NULL from Snowflake REGEXP_SUBSTR", exp.RegexpExtract)
def _regexp_extract(node: exp.Expression, src: Source) -> str | None:
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


@rule("concat_ws", "DuckDB skips NULL args; sqlglot's COALESCE(x, '') leaves empty slots", exp.ConcatWs)
def _concat_ws(node: exp.Expression, src: Source) -> str | None:
    if all(_is_nonnull_literal(arg) or _is_coalesced(arg) for arg in node.expressions):
        return None
    return (
        "DuckDB concat_ws skips NULL arguments (concat_ws(',', 'a', NULL, 'b') = 'a,b'); Snowflake "
        "CONCAT_WS returns NULL for any NULL argument and sqlglot works around that by wrapping each "
        "argument in COALESCE(x, ''), which gives 'a,,b' — coalesce the arguments yourself"
    )


# 5. string_agg default separator


@rule("string_agg-separator", "default separator ',' on DuckDB, '' for Snowflake LISTAGG", exp.GroupConcat)
def _string_agg(node: exp.Expression, src: Source) -> str | None:
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


@rule("array_agg-nulls", "DuckDB array_agg keeps NULL elements; Snowflake ARRAY_AGG drops them", exp.ArrayAgg)
def _array_agg(node: exp.Expression, src: Source) -> str | None:
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


@rule("substring-start", "start position <= 0 counts differently", exp.Substring)
def _substring_start(node: exp.Expression, src: Source) -> str | None:
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


@rule("split_part-index", "part index 0: '' on DuckDB, first part on Snowflake", exp.SplitPart)
def _split_part_index(node: exp.Expression, src: Source) -> str | None:
    if _int_value(node.args.get("part_index")) != 0:
        return None
    return "split_part index 0 returns '' on DuckDB but Snowflake treats part 0 as part 1 — parts are 1-based"


# 9. default window frame of first/last/nth_value


@rule(
    "window-default-frame",
    "last_value/nth_value (first_value IGNORE NULLS) with ORDER BY and no frame",
    exp.Window,
)
def _window_default_frame(node: exp.Expression, src: Source) -> str | None:
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


@rule(
    "timestamptz",
    "TIMESTAMPTZ values depend on the session time zone (DuckDB TimeZone vs Snowflake TIMEZONE)",
    exp.Cast,
    exp.TryCast,
    exp.ColumnDef,
)
def _timestamptz(node: exp.Expression, src: Source) -> str | None:
    if _declared_type(node) not in _TZ_TYPES:
        return None
    return (
        "TIMESTAMPTZ/TIMESTAMP WITH TIME ZONE makes results depend on the session time zone (DuckDB's "
        "TimeZone setting vs Snowflake's TIMEZONE parameter, account default America/Los_Angeles), e.g. "
        "when cast on to DATE or VARCHAR — keep naive UTC TIMESTAMPs"
    )


@rule(
    "at-time-zone",
    "AT TIME ZONE / timezone() convert in a different direction on Snowflake",
    exp.AtTimeZone,
    exp.Anonymous,
)
def _at_time_zone(node: exp.Expression, src: Source) -> str | None:
    if isinstance(node, exp.Anonymous) and _anonymous_name(node) != "timezone":
        return None
    return (
        "DuckDB `ts AT TIME ZONE z` / timezone(z, ts) reads a naive timestamp as wall-clock time in z and "
        "returns TIMESTAMPTZ (rendered in the session TimeZone); sqlglot emits CONVERT_TIMEZONE(z, ts) or "
        "passes timezone() through, and Snowflake's 2-argument CONVERT_TIMEZONE converts FROM the session "
        "time zone TO z — direction and type differ"
    )


@rule(
    "to_timestamp", "DuckDB to_timestamp() returns TIMESTAMPTZ; Snowflake TO_TIMESTAMP is NTZ", exp.UnixToTime
)
def _to_timestamp(node: exp.Expression, src: Source) -> str | None:
    if node.args.get("scale") is not None:
        return None
    return (
        "DuckDB to_timestamp(epoch_seconds) returns TIMESTAMPTZ (shown and cast in the session TimeZone) "
        "while Snowflake TO_TIMESTAMP returns TIMESTAMP_NTZ by default — use make_timestamp(us) "
        "(a naive TIMESTAMP on both)"
    )


# 11. epoch


_EPOCH_FUNCS = {"epoch_us", "epoch_ns", "epoch_second", "epoch_seconds"}


@rule(
    "epoch",
    "DuckDB epoch()/extract(epoch) are DOUBLE seconds; Snowflake epoch parts are integers",
    exp.TimeToUnix,
    exp.Extract,
    exp.UnixToTime,
    exp.Anonymous,
)
def _epoch(node: exp.Expression, src: Source) -> str | None:
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


_WEEK_PARTS = {"dow", "dayofweek", "weekday", "week", "weeks", "w", "weekofyear", "yearweek"}


@rule(
    "week-part",
    "day-of-week and week numbers depend on Snowflake's WEEK_START / WEEK_OF_YEAR_POLICY",
    exp.Extract,
    exp.Anonymous,
)
def _week_part(node: exp.Expression, src: Source) -> str | None:
    if isinstance(node, exp.Extract):
        part = node.this.name.lower() if node.this is not None else ""
    elif _anonymous_name(node) in ("date_part", "datepart"):
        part = (_string_value(node.expressions[0] if node.expressions else None) or "").lower()
    else:
        return None
    if part not in _WEEK_PARTS:
        return None
    return (
        f"extract/date_part('{part}'): DuckDB's dow counts Sunday = 0 and its week is the ISO week, while "
        "Snowflake's day-of-week and week numbers depend on the WEEK_START and WEEK_OF_YEAR_POLICY "
        "session parameters — use the iso_weekday / iso_week macros"
    )


# 12. random / uuid


always(
    "random",
    "DuckDB random() is DOUBLE in [0, 1); Snowflake RANDOM() is a 64-bit integer",
    (
        "DuckDB random() is a DOUBLE in [0, 1) but Snowflake RANDOM() is a signed 64-bit integer (and "
        "both are non-deterministic, so parity runs cannot match)"
    ),
    exp.Rand,
)


always(
    "uuid",
    "non-deterministic: values never match between engines or runs",
    (
        "uuid()/gen_random_uuid() is non-deterministic (UUID on DuckDB, VARCHAR from UUID_STRING() on "
        "Snowflake), so rows never match between engines — derive keys from md5() of business columns"
    ),
    exp.Uuid,
)


# 13. hash


@rule("hash", "different hash algorithm and range (UBIGINT vs signed 64-bit)", exp.Anonymous)
def _hash(node: exp.Expression, src: Source) -> str | None:
    if _anonymous_name(node) != "hash":
        return None
    return (
        "DuckDB hash() is an unsigned 64-bit value from DuckDB's own hash function while Snowflake HASH() is "
        "a different signed 64-bit function, so values never match — use md5() or the surrogate-key macro"
    )


# 14. try_cast


@rule("try_cast", "Snowflake TRY_CAST needs string input; sqlglot otherwise emits a plain CAST", exp.TryCast)
def _try_cast(node: exp.Expression, src: Source) -> str | None:
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


@rule(
    "mixed-case-identifier",
    "Snowflake upper-cases unquoted identifiers; DuckDB keeps their case",
    exp.Identifier,
)
def _mixed_case_identifier(node: exp.Expression, src: Source) -> str | None:
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


@rule("log-base", "DuckDB log(x) is base 10; sqlglot emits Snowflake LN(x)", exp.Log)
def _log_base(node: exp.Expression, src: Source) -> str | None:
    if node.args.get("expression") is not None:
        return None
    return (
        "DuckDB log(x) is the base-10 logarithm (log(100) = 2) but sqlglot emits LN(x), the natural "
        "logarithm, for Snowflake — write log10(x) or ln(x)"
    )


# extra: list subscripts


@rule("array-index", "1-based DuckDB lists vs 0-based Snowflake arrays for non-literal indexes", exp.Bracket)
def _array_index(node: exp.Expression, src: Source) -> str | None:
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


@rule("date_diff-week", "DuckDB counts whole 7-day periods, Snowflake counts week boundaries", exp.DateDiff)
def _date_diff_week(node: exp.Expression, src: Source) -> str | None:
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


@rule(
    "strftime-format",
    "format codes outside %Y %m %d %H %M %S %y %f are not translated",
    exp.TimeToStr,
    exp.StrToTime,
    exp.StrToDate,
)
def _strftime_format(node: exp.Expression, src: Source) -> str | None:
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


@rule(
    "float4",
    "DuckDB FLOAT/REAL is 4-byte; Snowflake FLOAT is 8-byte double",
    exp.Cast,
    exp.TryCast,
    exp.ColumnDef,
)
def _float4(node: exp.Expression, src: Source) -> str | None:
    if _declared_type(node) != exp.DType.FLOAT:
        return None
    return (
        "DuckDB FLOAT/REAL/FLOAT4 is 4-byte single precision (0.1 -> 0.10000000149) while Snowflake FLOAT "
        "is an 8-byte double — use DOUBLE"
    )


# extra: summing booleans


@rule("sum-boolean", "DuckDB sums BOOLEAN as 0/1; Snowflake SUM/AVG reject BOOLEAN", exp.Sum, exp.Avg)
def _sum_boolean(node: exp.Expression, src: Source) -> str | None:
    value = _aggregate_input(node.this)
    is_boolean = isinstance(value, (exp.Predicate, exp.Connector, exp.Not, exp.Boolean))
    if not (is_boolean or _known_type(value) == exp.DType.BOOLEAN):
        return None
    return (
        "DuckDB sums/averages a BOOLEAN expression as 0/1, but Snowflake SUM/AVG do not accept BOOLEAN "
        "— use count_if(...) or sum(case when ... then 1 else 0 end)"
    )


# extra: wall clock


_CLOCK_FUNCS = {"now", "get_current_timestamp", "transaction_timestamp", "get_current_time", "today"}


@rule(
    "current-time",
    "wall clock evaluated in different session time zones",
    exp.CurrentDate,
    exp.CurrentTimestamp,
    exp.CurrentTime,
    exp.Localtimestamp,
    exp.Localtime,
    exp.Anonymous,
)
def _current_time(node: exp.Expression, src: Source) -> str | None:
    if isinstance(node, exp.Anonymous) and _anonymous_name(node) not in _CLOCK_FUNCS:
        return None
    return (
        "wall-clock value: DuckDB evaluates it in its TimeZone setting (the machine's zone by default), "
        "Snowflake in the session TIMEZONE (account default America/Los_Angeles), so dates can differ by "
        "a day and runs never match — pass the run date in as a variable"
    )


# numeric semantics of aggregates and casts

_DOUBLE_TYPES = (exp.DType.DOUBLE, exp.DType.FLOAT)


def _is_double(node: exp.Expression | None) -> bool:
    """True when ``node`` is visibly a DOUBLE on DuckDB (a cast, or a function that returns one)."""
    node = _unparen(node)
    return _known_type(node) in _DOUBLE_TYPES or isinstance(node, _DOUBLE_FUNCTIONS)


_DOUBLE_FUNCTIONS = (
    exp.Sqrt,
    exp.Ln,
    exp.Log,
    exp.Exp,
    exp.Pow,
    exp.Avg,
    exp.Stddev,
    exp.StddevPop,
    exp.StddevSamp,
    exp.Variance,
    exp.VariancePop,
    exp.Corr,
    exp.Div,
    exp.Rand,
)


@rule(
    "numeric-aggregate-scale",
    "avg/median/stddev/variance of integers or decimals: DOUBLE on DuckDB, scaled NUMBER on Snowflake",
    exp.Avg,
    exp.Median,
    exp.Stddev,
    exp.StddevPop,
    exp.StddevSamp,
    exp.Variance,
    exp.VariancePop,
)
def _numeric_aggregate_scale(node: exp.Expression, src: Source) -> str | None:
    value = _aggregate_input(node.this)
    if _known_type(value) in _DOUBLE_TYPES:
        return None
    name = type(node).__name__.lower()
    return (
        f"{name} of an INTEGER/DECIMAL input returns a DOUBLE on DuckDB (avg of 1, 2, 2 = "
        "1.6666666666666667) but a NUMBER with a fixed extra scale on Snowflake (1.666667), so values "
        f"and types differ — write {name}(cast(x as double))"
    )


_INTEGER_TYPES = (
    exp.DType.INT,
    exp.DType.BIGINT,
    exp.DType.SMALLINT,
    exp.DType.TINYINT,
    exp.DType.UBIGINT,
    exp.DType.UINT,
    exp.DType.USMALLINT,
    exp.DType.UTINYINT,
    exp.DType.INT128,
)


@rule(
    "cast-to-integer",
    "DOUBLE -> integer cast: halves round to even on DuckDB, away from zero on Snowflake",
    exp.Cast,
    exp.TryCast,
)
def _cast_to_integer(node: exp.Expression, src: Source) -> str | None:
    if _declared_type(node) not in _INTEGER_TYPES:
        return None
    operand = _unparen(node.this)
    literal = operand.this if isinstance(operand, exp.Literal) and not operand.is_string else ""
    if not (_is_double(operand) or "e" in literal.lower()):
        return None
    return (
        "cast of a DOUBLE to an integer type: DuckDB rounds halves to even (cast(2.5::double as integer) "
        "= 2) while Snowflake rounds half away from zero (3) — round() first: cast(round(x) as integer)"
    )


@rule(
    "date_trunc-of-date",
    "date_trunc of a DATE: TIMESTAMP on DuckDB, DATE on Snowflake",
    exp.TimestampTrunc,
    exp.DateTrunc,
)
def _date_trunc_of_date(node: exp.Expression, src: Source) -> str | None:
    value = _unparen(node.this)
    is_date = _known_type(value) == exp.DType.DATE or isinstance(value, (exp.CurrentDate, exp.TsOrDsToDate))
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    if not is_date or isinstance(parent, (exp.Cast, exp.TryCast)):
        return None
    return (
        "date_trunc of a DATE returns a TIMESTAMP on DuckDB (2024-01-01 00:00:00) but a DATE on Snowflake "
        "— cast the result: cast(date_trunc('month', d) as date)"
    )


# approximate aggregates


always(
    "approximate-aggregate",
    "approximate aggregates use different algorithms on the two engines",
    (
        "approximate aggregate: DuckDB and Snowflake use different sketches (HyperLogLog variants, "
        "t-digest vs Snowflake's percentile sketch), so the estimates differ (approx_count_distinct over "
        "range(1000) is 978 on DuckDB) — use count(distinct ...) or quantile_cont/percentile_cont"
    ),
    exp.ApproxDistinct,
    exp.ApproxQuantile,
)


# lists


_LIST_PRODUCERS = (exp.Array, exp.ArrayAgg, exp.Split, exp.ArrayConcat, exp.ArrayAppend, exp.ArrayPrepend)
_LIST_FUNCTIONS = {"list_value", "str_split", "string_split", "string_to_array", "list_concat", "flatten"}


@rule("list-length", "len() of a list counts elements on DuckDB; Snowflake LENGTH measures text", exp.Length)
def _list_length(node: exp.Expression, src: Source) -> str | None:
    value = _unparen(node.this)
    is_list = (
        isinstance(value, _LIST_PRODUCERS)
        or _anonymous_name(value) in _LIST_FUNCTIONS
        or (_known_type(value) in (exp.DType.ARRAY, exp.DType.LIST))
    )
    if not is_list:
        return None
    return (
        "len()/length() of a list: DuckDB counts the elements (len([1, 2]) = 2) but sqlglot emits "
        "LENGTH(), which Snowflake applies to the array's text — use array_length(x) (ARRAY_SIZE)"
    )


# DuckDB-only syntax


_TEMPORAL_FUNCTIONS = (exp.CurrentTimestamp, exp.TimestampTrunc, exp.StrToTime, exp.UnixToTime)
_TIMESTAMP_TYPES = (exp.DType.TIMESTAMP, exp.DType.TIMESTAMPNTZ, exp.DType.TIMESTAMPTZ, exp.DType.DATETIME)


def _is_timestamp(node: exp.Expression | None) -> bool:
    node = _unparen(node)
    return _known_type(node) in _TIMESTAMP_TYPES or isinstance(node, _TEMPORAL_FUNCTIONS)


@rule(
    "timestamp-subtraction",
    "timestamp - timestamp is an INTERVAL on DuckDB and an error on Snowflake",
    exp.Sub,
)
def _timestamp_subtraction(node: exp.Expression, src: Source) -> str | None:
    if not (_is_timestamp(node.this) and _is_timestamp(node.expression)):
        return None
    return (
        "timestamp - timestamp returns an INTERVAL on DuckDB, but Snowflake has no timestamp subtraction "
        "(sqlglot passes `-` through and Snowflake rejects it) — use the timestamp_diff macro "
        "(date_diff/DATEDIFF in a unit)"
    )


_DUCKDB_JOINS = {"ASOF", "POSITIONAL", "ANTI", "SEMI"}


@rule("join-kind", "ASOF/POSITIONAL/SEMI/ANTI joins are DuckDB syntax", exp.Join)
def _join_kind(node: exp.Expression, src: Source) -> str | None:
    kinds = {str(node.args.get(arg) or "").upper() for arg in ("kind", "side", "method")}
    found = sorted(kinds & _DUCKDB_JOINS)
    if not found:
        return None
    return (
        f"{found[0]} JOIN is DuckDB syntax that sqlglot passes through; Snowflake has ASOF JOIN only with "
        "MATCH_CONDITION and no POSITIONAL/SEMI/ANTI joins — use EXISTS / NOT EXISTS or a window query"
    )


always(
    "struct-literal",
    "DuckDB STRUCT literals become Snowflake OBJECTs of VARIANT",
    (
        "STRUCT value ({'k': v} / struct_pack / row): sqlglot emits OBJECT_CONSTRUCT, whose fields are "
        "VARIANTs on Snowflake (types, comparisons and field access differ) — keep scalar columns"
    ),
    exp.Struct,
)


always(
    "star-expression",
    "DuckDB COLUMNS(...) star expressions do not exist on Snowflake",
    (
        "COLUMNS(...) star expression is DuckDB-only: sqlglot passes it through and Snowflake rejects it "
        "— list the columns (Snowflake supports * EXCLUDE/REPLACE/RENAME and * ILIKE)"
    ),
    exp.Columns,
)


always(
    "unnest",
    "DuckDB UNNEST vs Snowflake FLATTEN: rows, names and NULL handling differ",
    (
        "UNNEST: sqlglot rewrites it into TABLE(FLATTEN(...)) joins whose column names, row order and "
        "handling of NULL/empty lists differ from DuckDB's — use a portable macro"
    ),
    exp.Unnest,
    exp.Explode,
)


always(
    "table-sample",
    "sampling picks different rows on each engine",
    (
        "USING SAMPLE/TABLESAMPLE picks different rows on DuckDB and Snowflake (and on every run) — "
        "filter on a hash of the key instead, e.g. where md5(id) < '2'"
    ),
    exp.TableSample,
)


always(
    "merge-duplicates",
    "MERGE with several source rows per key: DuckDB applies one, Snowflake fails",
    (
        "MERGE: when several source rows match one target row, DuckDB silently applies one of them while "
        "Snowflake raises (ERROR_ON_NONDETERMINISTIC_MERGE) — deduplicate the source per key first "
        "(qualify row_number() over (partition by key order by ...) = 1) and mark the MERGE"
    ),
    exp.Merge,
)


RULES.setdefault(
    "unverified",
    "a construct the registry does not classify (fail-closed): add it to parity_tests/lint/constructs.py",
)
RULES.setdefault(
    "unsupported",
    "a construct Snowflake does not have (sqlglot emits a function or type Snowflake lacks)",
)
RULES.setdefault(
    "portable-marker",
    "unclosed, unmatched, malformed or reason-less /* portable:NAME reason */ ... /* /portable */ marker",
)
