"""The registry's entries: DuckDB constructs classified for Snowflake, each with its evidence.

One line per construct, columns separated by ``|``:

* functions: ``duckdb names | example | SNOWFLAKE(arity) | doc | guard rules | why``.  The example is
  DuckDB SQL over the columns of :data:`parity_tests.lint.registry.EXAMPLE_RELATION` (``i`` integer,
  ``d`` double, ``n`` decimal, ``s`` varchar, ``dt`` date, ``ts`` timestamp, ``l`` list, ``b``
  boolean); the tests run it on DuckDB and check that sqlglot's Snowflake output calls the named
  Snowflake function with an arity in range.  ``doc`` is a page under
  https://docs.snowflake.com/en/sql-reference/ (``functions/<name>`` unless a path is given).
  Guard rules (``-`` for none) report the uses whose meaning differs; ``why`` states the condition
  under which the construct is portable, or what differs.
* operators, clauses, types and statements: ``sqlglot class or DType | doc | guard rules | why``,
  with an example where one can be run.

To add a function: look it up in Snowflake's reference, check what sqlglot emits
(``python -m parity_tests.lint --sql 'select f(x)'`` says), run the example on DuckDB, then add a
line here (``pytest pytests/lint`` checks it).
"""

from __future__ import annotations

import re

from sqlglot import exp

from parity_tests.lint.registry import Construct, Status, example_node, node_key

# --------------------------------------------------------------------------- functions

PORTABLE_FUNCTIONS = """
abs | abs(d - 10) | ABS(1) | abs | - | same value and type
acos | acos(d / 10) | ACOS(1) | acos | - | DOUBLE on both
asin | asin(d / 10) | ASIN(1) | asin | - | DOUBLE on both
atan | atan(d) | ATAN(1) | atan | - | DOUBLE on both
atan2 | atan2(d, i) | ATAN2(2) | atan2 | - | DOUBLE on both, (y, x) order on both
acosh | acosh(i) | ACOSH(1) | acosh | - | DOUBLE on both
asinh | asinh(d) | ASINH(1) | asinh | - | DOUBLE on both
atanh | atanh(d / 10) | ATANH(1) | atanh | - | DOUBLE on both
cbrt | cbrt(d) | CBRT(1) | cbrt | - | DOUBLE on both
ceil, ceiling | ceil(d) | CEIL(1-2) | ceil | - | same value
floor | floor(d) | FLOOR(1-2) | floor | - | same value
cos | cos(d) | COS(1) | cos | - | DOUBLE on both
cosh | cosh(d) | COSH(1) | cosh | - | DOUBLE on both
cot | cot(d) | COT(1) | cot | - | DOUBLE on both
degrees | degrees(d) | DEGREES(1) | degrees | - | DOUBLE on both
radians | radians(d) | RADIANS(1) | radians | - | DOUBLE on both
exp | exp(d) | EXP(1) | exp | - | DOUBLE on both
ln | ln(d) | LN(1) | ln | - | natural logarithm on both
log10 | log10(d) | LOG(2) | log | - | sqlglot emits LOG(10, x)
log2 | log2(d) | LOG(2) | log | - | sqlglot emits LOG(2, x)
pi | pi() | PI(0) | pi | - | same constant
pow, power | power(d, 2) | POWER(2) | pow | - | DOUBLE on both
sign | sign(d - 10) | SIGN(1) | sign | - | same value
sin | sin(d) | SIN(1) | sin | - | DOUBLE on both
sinh | sinh(d) | SINH(1) | sinh | - | DOUBLE on both
sqrt | sqrt(d) | SQRT(1) | sqrt | - | DOUBLE on both
tan | tan(d) | TAN(1) | tan | - | DOUBLE on both
tanh | tanh(d) | TANH(1) | tanh | - | DOUBLE on both
factorial | factorial(5) | FACTORIAL(1) | factorial | - | integer input, same value
round | round(d, 1) | ROUND(1-3) | round | - | halves round away from zero on both (Snowflake's default rounding mode HALF_AWAY_FROM_ZERO)
trunc | trunc(d) | TRUNC(1-2) | trunc | - | numeric truncation toward zero on both
count | count(i) | COUNT(0-9) | count | - | same count; count(*) too
count_if, countif | count_if(i > 3) | COUNT_IF(1) | count_if | - | same count
max | max(i) | MAX(1) | max | - | same value
min | min(i) | MIN(1) | min | - | same value
arg_max, argmax, max_by | arg_max(s, i) | MAX_BY(2-3) | max_by | - | portable when the ordering value has no ties (either engine may pick any tied row)
arg_min, argmin, min_by | arg_min(s, i) | MIN_BY(2-3) | min_by | - | portable when the ordering value has no ties
bool_and | bool_and(b) | BOOLAND_AGG(1) | booland_agg | - | same value
bool_or | bool_or(b) | BOOLOR_AGG(1) | boolor_agg | - | same value
corr | corr(d, i) | CORR(2) | corr | - | floating-point statistic on both
covar_pop | covar_pop(d, i) | COVAR_POP(2) | covar_pop | - | floating-point statistic on both
covar_samp | covar_samp(d, i) | COVAR_SAMP(2) | covar_samp | - | floating-point statistic on both
regr_slope | regr_slope(d, i) | REGR_SLOPE(2) | regr_slope | - | floating-point statistic on both
regr_intercept | regr_intercept(d, i) | REGR_INTERCEPT(2) | regr_intercept | - | floating-point statistic on both
regr_r2 | regr_r2(d, i) | REGR_R2(2) | regr_r2 | - | floating-point statistic on both
row_number | row_number() over (order by i) | ROW_NUMBER(0) | row_number | - | portable when the ORDER BY is unique (ties are numbered arbitrarily on both)
rank | rank() over (order by i) | RANK(0) | rank | - | same ranks
dense_rank | dense_rank() over (order by i) | DENSE_RANK(0) | dense_rank | - | same ranks
percent_rank | percent_rank() over (order by i) | PERCENT_RANK(0) | percent_rank | - | same value
cume_dist | cume_dist() over (order by i) | CUME_DIST(0) | cume_dist | - | same value
ntile | ntile(2) over (order by i) | NTILE(1) | ntile | - | same bucket sizes (larger buckets first on both)
lag | lag(i, 1, 0) over (order by i) | LAG(1-3) | lag | - | same offset and default
lead | lead(i, 1, 0) over (order by i) | LEAD(1-3) | lead | - | same offset and default
concat | concat(s, 'x') | CONCAT(1-99) | concat | - | sqlglot wraps each argument in COALESCE(x, ''), matching DuckDB's NULL-as-empty
greatest | greatest(i, 3) | GREATEST_IGNORE_NULLS(1-99) | greatest_ignore_nulls | - | sqlglot emits the NULL-skipping form, matching DuckDB
least | least(i, 3) | LEAST_IGNORE_NULLS(1-99) | least_ignore_nulls | - | sqlglot emits the NULL-skipping form, matching DuckDB
contains | contains(s, 'b') | CONTAINS(2) | contains | - | substring test on both
starts_with | starts_with(s, 'A') | STARTSWITH(2) | startswith | - | prefix test on both
ends_with | ends_with(s, 'e') | ENDSWITH(2) | endswith | - | suffix test on both
instr, strpos | strpos(s, 'c') | CHARINDEX(2-3) | charindex | - | 1-based position, 0 when absent, on both
position | position('c' in s) | CHARINDEX(2-3) | charindex | - | 1-based position, 0 when absent, on both
left | left(s, 2) | LEFT(2) | left | - | same prefix
right | right(s, 2) | RIGHT(2) | right | - | same suffix
lower, lcase | lower(s) | LOWER(1) | lower | - | same result for the same collation
upper, ucase | upper(s) | UPPER(1) | upper | - | same result for the same collation
lpad | lpad(s, 8, '*') | LPAD(2-3) | lpad | - | pads, and truncates longer strings, the same way
rpad | rpad(s, 8, '*') | RPAD(2-3) | rpad | - | pads, and truncates longer strings, the same way
ltrim | ltrim(s) | LTRIM(1-2) | ltrim | - | same result
rtrim | rtrim(s) | RTRIM(1-2) | rtrim | - | same result
trim | trim(s) | TRIM(1-2) | trim | - | same result
replace | replace(s, 'b', 'x') | REPLACE(2-3) | replace | - | replaces every occurrence on both
reverse | reverse(s) | REVERSE(1) | reverse | - | same result
repeat | repeat(s, 2) | REPEAT(2) | repeat | - | same result
translate | translate(s, 'ab', 'xy') | TRANSLATE(3) | translate | - | same result
ascii | ascii(s) | ASCII(1) | ascii | - | code point of the first character on both
unicode | unicode(s) | UNICODE(1) | unicode | - | code point of the first character on both
chr | chr(65) | CHR(1) | chr | - | same character
bit_length | bit_length(s) | BIT_LENGTH(1) | bit_length | - | same value
octet_length | octet_length(encode(s)) | OCTET_LENGTH(1) | octet_length | - | same value
md5 | md5(s) | MD5(1) | md5 | - | same 32-character lower-case hex digest
sha1 | sha1(s) | SHA1(1) | sha1 | - | same hex digest
sha256 | sha256(s) | SHA2(2) | sha2 | - | sqlglot emits SHA2(x, 256): same hex digest
levenshtein, editdist3 | levenshtein(s, 'abc') | EDITDISTANCE(2-3) | editdistance | - | same edit distance
split, str_split, string_split, string_to_array | string_split(s, ',') | SPLIT(2) | split | - | array of strings on both
nullif | nullif(i, 7) | NULLIF(2) | nullif | - | same result
coalesce | coalesce(i, 0) | COALESCE(1-99) | coalesce | - | same result
ifnull | ifnull(i, 0) | COALESCE(1-99) | coalesce | - | sqlglot emits COALESCE
if | if(b, 1, 2) | IFF(3) | iff | - | same result
make_date | make_date(2024, 1, 15) | DATE_FROM_PARTS(3) | date_from_parts | - | same date
make_time | make_time(10, 30, 0) | TIME_FROM_PARTS(3-4) | time_from_parts | - | same time
make_timestamp | make_timestamp(1700000000000000) | TO_TIMESTAMP(2) | to_timestamp | - | microseconds since the epoch to a naive TIMESTAMP on both (sqlglot emits scale 6)
date_trunc, datetrunc | date_trunc('month', ts) | DATE_TRUNC(2) | date_trunc | date_trunc-of-date | same truncation ('week' starts on Monday on both with Snowflake's default WEEK_START)
date_trunc | date_trunc('month', cast(ts as date)) | DATE_TRUNC(2) | date_trunc | date_trunc-of-date | on a DATE: cast the result back to DATE (DuckDB returns a TIMESTAMP)
date_diff, datediff | date_diff('day', dt, dt + 3) | DATEDIFF(3) | datediff | date_diff-week | counts unit boundaries crossed on both (not weeks)
day | day(dt) | DAY(1) | day | - | same value
dayofmonth | dayofmonth(dt) | DAYOFMONTH(1) | day | - | same value
dayofyear | dayofyear(dt) | DAYOFYEAR(1) | dayofyear | - | same value
hour | hour(ts) | HOUR(1) | hour | - | same value
minute | minute(ts) | MINUTE(1) | minute | - | same value
second | second(ts) | SECOND(1) | second | - | whole seconds on both
month | month(dt) | MONTH(1) | month | - | same value
quarter | quarter(dt) | QUARTER(1) | quarter | - | same value
year | year(dt) | YEAR(1) | year | - | same value
isodow | isodow(dt) | DAYOFWEEKISO(1) | dayofweekiso | - | Monday = 1 ... Sunday = 7 on both
weekofyear | weekofyear(dt) | WEEKISO(1) | weekiso | - | ISO week on both
last_day | last_day(dt) | LAST_DAY(1-2) | last_day | - | same date
list_value | list_value(1, 2) | -(0) | constructs | - | sqlglot emits an array constant [1, 2]
array_length | array_length(l) | ARRAY_SIZE(1) | array_size | - | number of elements on both
array_cat, array_concat, list_concat | array_concat(l, [4]) | ARRAY_CAT(2) | array_cat | - | same elements in the same order
array_contains, array_has, list_contains, list_has | list_contains(l, 2) | ARRAY_CONTAINS(2) | array_contains | - | sqlglot swaps the arguments and casts the value to VARIANT
list_has_any | list_has_any(l, [2, 9]) | ARRAYS_OVERLAP(2) | arrays_overlap | - | same test
flatten | flatten([[1], [2, 3]]) | ARRAY_FLATTEN(1) | array_flatten | - | one level flattened on both
array_append, list_append | list_append(l, 4) | ARRAY_APPEND(2) | array_append | - | appended at the end on both
array_prepend, list_prepend | list_prepend(0, l) | ARRAY_PREPEND(2) | array_prepend | - | prepended at the front on both
"""

HAZARD_FUNCTIONS = """
sum | sum(i) | SUM(1) | sum | sum-boolean | portable for numbers; DuckDB also sums BOOLEANs, Snowflake does not
avg | avg(i) | AVG(1) | avg | numeric-aggregate-scale | portable on DOUBLE input; integer/decimal input averages to DOUBLE on DuckDB, NUMBER with 6 more decimals on Snowflake
median | median(i) | MEDIAN(1) | median | numeric-aggregate-scale | portable on DOUBLE input; on integers/decimals the result type and scale differ
stddev, stddev_samp | stddev(i) | STDDEV(1) | stddev | numeric-aggregate-scale | portable on DOUBLE input
stddev_pop | stddev_pop(i) | STDDEV_POP(1) | stddev_pop | numeric-aggregate-scale | portable on DOUBLE input
variance, var_samp | var_samp(i) | VARIANCE(1) | variance | numeric-aggregate-scale | portable on DOUBLE input
var_pop | var_pop(i) | VARIANCE_POP(1) | variance_pop | numeric-aggregate-scale | portable on DOUBLE input
approx_count_distinct | approx_count_distinct(i) | APPROX_COUNT_DISTINCT(1) | approx_count_distinct | approximate-aggregate | different HyperLogLog implementations: the estimates differ
approx_quantile | approx_quantile(d, 0.5) | APPROX_PERCENTILE(2) | approx_percentile | approximate-aggregate | different sketches (DuckDB t-digest, Snowflake's own): the estimates differ
array_agg, list | array_agg(i) | ARRAY_AGG(1) | array_agg | array_agg-nulls | portable when NULLs are filtered out
string_agg, listagg, group_concat | string_agg(s, ',') | LISTAGG(1-2) | listagg | string_agg-separator | portable with an explicit separator
concat_ws | concat_ws('-', s, 'x') | CONCAT_WS(2-99) | concat_ws | concat_ws | portable when no argument is NULL
length, len, char_length, character_length | length(s) | LENGTH(1) | length | list-length | portable on strings; on a list DuckDB counts elements, Snowflake measures the array's text
substring, substr | substring(s, 2, 3) | SUBSTRING(2-3) | substr | substring-start | portable from a positive start
split_part | split_part(s, ',', 2) | SPLIT_PART(3) | split_part | split_part-index | portable for part indexes other than 0
regexp_matches | regexp_matches(s, '^A.*$') | REGEXP_LIKE(2-3) | regexp_like | regexp_matches | portable for patterns anchored at both ends
regexp_replace | regexp_replace(s, '^A', 'x') | REGEXP_REPLACE(2-6) | regexp_replace | regexp_replace | portable for patterns anchored at the start
regexp_extract | regexp_extract(s, 'b(c)', 1) | REGEXP_SUBSTR(2-6) | regexp_substr | regexp_extract | portable inside nullif(..., '') or coalesce(..., '')
first_value | first_value(i) over (order by i) | FIRST_VALUE(1) | first_value | window-default-frame | portable with an explicit frame
last_value | last_value(i) over (order by i rows between unbounded preceding and unbounded following) | LAST_VALUE(1) | last_value | window-default-frame | portable with an explicit frame
nth_value | nth_value(i, 1) over (order by i rows between unbounded preceding and unbounded following) | NTH_VALUE(2) | nth_value | window-default-frame | portable with an explicit frame
strftime | strftime(ts, '%Y-%m-%d') | TO_CHAR(2) | to_char | strftime-format | portable for %Y %m %d %H %M %S %y %f formats
strptime | strptime('2024-01-15', '%Y-%m-%d') | TO_TIMESTAMP(2) | to_timestamp | strftime-format | portable for %Y %m %d %H %M %S %y %f formats
extract | extract(year from dt) | -(0) | extract | epoch, week-part | portable for calendar parts other than epoch, dow and week
date_part | date_part('year', dt) | DATE_PART(2) | date_part | epoch, week-part | portable for calendar parts; epoch, dow and week parts differ
epoch | epoch(ts) | -(0) | extract | epoch | DuckDB DOUBLE seconds, Snowflake integer seconds
epoch_ms | epoch_ms(1000) | TO_TIMESTAMP(2) | to_timestamp | epoch | portable for an integer argument only
to_timestamp | to_timestamp(1700000000) | TO_TIMESTAMP(1-2) | to_timestamp | to_timestamp | TIMESTAMPTZ on DuckDB, TIMESTAMP_NTZ on Snowflake
log | log(2, d) | LOG(2) | log | log-base | portable with two arguments; log(x) is base 10 on DuckDB, LN on Snowflake
random | random() | RANDOM(0-1) | random | random | DOUBLE in [0, 1) vs 64-bit integer
uuid, gen_random_uuid | uuid() | UUID_STRING(0-2) | uuid_string | uuid | non-deterministic
hash | hash(s) | HASH(1-99) | hash | hash | different hash functions
current_date, today | current_date() | -(0) | current_date | current-time | wall clock
get_current_time | get_current_time() | CURRENT_TIME(0-1) | current_time | current-time | wall clock
current_localtimestamp | current_localtimestamp() | -(0) | current_timestamp | current-time | wall clock
list_sort, array_sort | list_sort(l) | ARRAY_SORT(1-3) | array_sort | - | NULL placement differs: DuckDB puts NULLs last, Snowflake ARRAY_SORT first unless told (pass nulls_first explicitly, or sort NULL-free lists)
list_reverse_sort, array_reverse_sort | list_reverse_sort(l) | ARRAY_SORT(1-3) | array_sort | - | NULL placement differs between the engines' defaults
array_distinct, list_distinct | list_distinct(l) | ARRAY_DISTINCT(1) | array_distinct | - | DuckDB returns the distinct elements in no defined order, Snowflake keeps first occurrences in order — sort the result
array_intersect | list_intersect(l, [1, 2]) | ARRAY_INTERSECTION(2) | array_intersection | - | DuckDB returns a set in no defined order, Snowflake keeps duplicates (multiset) in order
array_position | array_position(l, 2) | ARRAY_POSITION(2) | array_position | - | DuckDB returns a 1-based position, Snowflake ARRAY_POSITION a 0-based one (sqlglot does not shift it) — add 1 on Snowflake through a dispatch macro
array_slice | array_slice(l, 1, 2) | ARRAY_SLICE(3) | array_slice | - | DuckDB slices are 1-based with an inclusive end, Snowflake ARRAY_SLICE is 0-based with an exclusive end, and sqlglot passes the bounds through
array_to_string | array_to_string(l, '-') | ARRAY_TO_STRING(2) | array_to_string | - | DuckDB skips NULL elements, Snowflake writes them as empty strings ('a,,b')
list_max | list_max(l) | ARRAY_MAX(1) | array_max | - | Snowflake ARRAY_MAX returns a VARIANT, DuckDB the element type
list_min | list_min(l) | ARRAY_MIN(1) | array_min | - | Snowflake ARRAY_MIN returns a VARIANT, DuckDB the element type
dayname | dayname(dt) | DAYNAME(1) | dayname | - | DuckDB returns the full name ('Monday'), Snowflake three letters ('Mon') — use a CASE on isodow()
monthname | monthname(dt) | MONTHNAME(1) | monthname | - | DuckDB returns the full name ('January'), Snowflake three letters ('Jan') — use a CASE on month()
dayofweek | dayofweek(dt) | DAYOFWEEK(1) | dayofweek | - | DuckDB Sunday = 0; Snowflake depends on the WEEK_START session parameter — use isodow()
week | week(dt) | WEEK(1) | week | - | DuckDB returns the ISO week, Snowflake's WEEK depends on WEEK_OF_YEAR_POLICY and WEEK_START — use weekofyear()
jaro_winkler_similarity | jaro_winkler_similarity(s, 'abc') | JAROWINKLER_SIMILARITY(2) | jarowinkler_similarity | - | DuckDB returns a DOUBLE in [0, 1], Snowflake an integer 0-100
hex, to_hex | hex(s) | HEX_ENCODE(1-2) | hex_encode | - | DuckDB hex() of a number encodes its value (hex(255) = 'FF'), Snowflake HEX_ENCODE its decimal text
any_value | any_value(i) | ANY_VALUE(1) | any_value | - | an arbitrary row's value: the engines pick different rows unless the value is the same across the group — use min()/max()
json | json('{"a": 1}') | PARSE_JSON(1) | parse_json | - | DuckDB JSON (text) becomes a Snowflake VARIANT; comparisons and casts differ
json_extract, json_extract_path | json_extract('{"a": 1}', '$.a') | GET_PATH(2) | get_path | - | DuckDB returns JSON text with '$.path' syntax, Snowflake GET_PATH a VARIANT
json_extract_string, json_extract_path_text | json_extract_string('{"a": 1}', '$.a') | JSON_EXTRACT_PATH_TEXT(2) | json_extract_path_text | - | DuckDB's '$.a' JSONPath is passed through; Snowflake expects 'a' paths
json_keys | json_keys('{"a": 1}') | OBJECT_KEYS(1) | object_keys | - | DuckDB takes JSON text, Snowflake OBJECT_KEYS an OBJECT
current_database | current_database() | CURRENT_DATABASE(0) | current_database | - | session metadata: names differ between the engines
current_schema | current_schema() | CURRENT_SCHEMA(0) | current_schema | - | session metadata: names differ between the engines
current_user | current_user() | CURRENT_USER(0) | current_user | - | session metadata: names differ between the engines
version | version() | CURRENT_VERSION(0) | current_version | - | engine version strings differ
current_role | current_role() | CURRENT_ROLE(0) | current_role | - | session metadata: names differ between the engines
typeof | typeof(i) | TYPEOF(1) | typeof | - | DuckDB names its own types ('INTEGER'); Snowflake TYPEOF takes a VARIANT and names its types ('INTEGER' for NUMBER(38,0) only inside a VARIANT)
to_json | to_json(s) | TO_JSON(1) | to_json | - | DuckDB renders any value as JSON text; Snowflake TO_JSON takes a VARIANT and orders object keys differently
"""

UNSUPPORTED_FUNCTIONS = """
decode | decode('abc'::blob) | DECODE(2-99) | decode | - | DuckDB decode(blob) converts bytes to text; Snowflake DECODE is a CASE-like comparison function
map | map([1], ['a']) | OBJECT_CONSTRUCT(0-99) | object_construct | - | DuckDB MAP(keys, values) has no Snowflake counterpart (sqlglot emits an empty OBJECT_CONSTRUCT())
date_add | date_add(dt, interval 1 day) | DATEADD(3) | dateadd | - | sqlglot emits DATEADD(DAY, INTERVAL '1 DAY', d), which Snowflake rejects — write dt + interval 1 day
"""

# --------------------------------------------------------------------------- operators, clauses, types

OPERATORS = """
Add | operators-arithmetic | - | numbers, and date/timestamp + INTERVAL constants, on both
Sub | operators-arithmetic | timestamp-subtraction | numbers, date - date (days) and - INTERVAL constants on both; timestamp - timestamp is an INTERVAL on DuckDB and an error on Snowflake
Mul | operators-arithmetic | - | same product (integer overflow aside: Snowflake NUMBER(38) is wider)
Div | operators-arithmetic | division | portable with a DOUBLE operand
IntDiv | operators-arithmetic | integer-division | DuckDB `//`
Mod | operators-arithmetic | - | the sign follows the dividend on both
Neg | operators-arithmetic | - | same value
EQ | operators-comparison | - | same comparison
NEQ | operators-comparison | - | same comparison
GT | operators-comparison | - | same comparison
GTE | operators-comparison | - | same comparison
LT | operators-comparison | - | same comparison
LTE | operators-comparison | - | same comparison
NullSafeEQ | operators-comparison | - | IS NOT DISTINCT FROM: EQUAL_NULL semantics on both
NullSafeNEQ | operators-comparison | - | IS DISTINCT FROM on both
And | operators-logical | - | three-valued logic on both
Or | operators-logical | - | three-valued logic on both
Not | operators-logical | - | three-valued logic on both
Is | operators-comparison | - | IS [NOT] NULL on both
In | functions/in | - | same membership test (NULL semantics are SQL-standard on both)
Between | functions/between | - | inclusive bounds on both
Like | functions/like | - | same wildcards (% and _); case-sensitive on both
ILike | functions/ilike | - | same wildcards, case-insensitive on both
DPipe | operators-string | - | `||` propagates NULL on both
Exists | operators-subquery | - | same test
Paren | operators | - | grouping only
RegexpLike | functions/regexp_like | regexp_matches | anchored patterns only
RegexpILike | functions/regexp_like | regexp_matches | anchored patterns only
RegexpFullMatch | functions/regexp_like | tilde-regex | DuckDB regexp_full_match() only
SimilarTo | functions/like | similar-to | DuckDB SIMILAR TO is a regular expression
Distinct | sql/select | - | DISTINCT on both
Escape | functions/like | - | LIKE ... ESCAPE on both
BitwiseAnd | functions/bitand | - | integer operands: sqlglot emits BITAND
BitwiseOr | functions/bitor | - | integer operands: sqlglot emits BITOR
BitwiseXor | functions/bitxor | - | integer operands: sqlglot emits BITXOR
BitwiseLeftShift | functions/bitshiftleft | - | integer operands: sqlglot emits BITSHIFTLEFT
BitwiseRightShift | functions/bitshiftright | - | integer operands: sqlglot emits BITSHIFTRIGHT
"""

UNSUPPORTED_OPERATORS = """
Distance | operators | - | DuckDB `<->` (distance) is passed through; Snowflake has no such operator
ArrayContainedBy | functions/array_contains | - | DuckDB `<@` is passed through; Snowflake has no such operator (ARRAY_CONTAINS per element)
ArrayContainsAll | functions/array_contains | - | DuckDB `@>` is passed through; Snowflake has no such operator
Glob | functions/like | - | DuckDB GLOB (`~~~`) is passed through; Snowflake has no GLOB — use LIKE
"""

CLAUSES = """
Select | sql/select | - | the query block
From | constructs/from | - | same relation
Join | constructs/join | join-kind | INNER/LEFT/RIGHT/FULL/CROSS joins on both
Where | constructs/where | - | same filter
Group | constructs/group-by | - | GROUP BY expressions, positions and ALL on both
Having | constructs/having | - | same filter
Qualify | constructs/qualify | - | same filter
Order | constructs/order-by | - | ORDER BY (sqlglot writes DuckDB's NULL ordering out explicitly)
Ordered | constructs/order-by | - | sqlglot writes NULLS FIRST/LAST out explicitly
Limit | constructs/limit | - | same row count
Offset | constructs/limit | - | same offset
With | constructs/with | - | common table expressions on both
CTE | constructs/with | - | common table expressions on both
Subquery | operators-subquery | - | same subquery
Union | operators-query | - | UNION [ALL] on both
Intersect | operators-query | - | INTERSECT on both
Except | operators-query | - | EXCEPT/MINUS on both
Table | constructs/from | - | a table reference
TableAlias | constructs/from | - | a table alias
Alias | sql/select | mixed-case-identifier | lower-case aliases; mixed case is folded on Snowflake
Column | identifiers-syntax | - | a column reference
Identifier | identifiers-syntax | mixed-case-identifier | unquoted lower-case names are case-insensitive on both
Dot | identifiers-syntax | - | qualified names (schema.table, table.column)
Star | sql/select | - | `*`, with EXCLUDE/REPLACE/RENAME on both
Literal | data-types | - | string and number constants
Null | data-types | - | NULL
Boolean | data-types-logical | - | TRUE/FALSE
Interval | data-types-datetime | - | interval constants added to dates and timestamps
Var | data-types-datetime | - | date part names in intervals and date functions
DataTypeParam | data-types | - | precision/scale/length of a type
Case | functions/case | - | CASE on both
If | functions/iff | - | CASE WHEN arm
Cast | functions/cast | cast-to-integer | explicit casts between the types below
TryCast | functions/try_cast | try_cast | TRY_CAST from strings
Coalesce | functions/coalesce | - | same result
Nullif | functions/nullif | - | same result
Window | functions-window-syntax | window-default-frame | OVER (PARTITION BY ... ORDER BY ... frame)
WindowSpec | functions-window-syntax | - | window frames (ROWS/RANGE)
Filter | functions-aggregation | - | sqlglot rewrites the FILTER clause (COUNT_IF, IFF inside the aggregate)
Bracket | data-types-semistructured | array-index | list/struct subscripts
Array | data-types-semistructured | - | array constants [a, b]
Tuple | functions/in | - | value lists of IN
Values | constructs/values | - | VALUES lists
Lateral | constructs/join-lateral | - | LATERAL subqueries
Struct | data-types-semistructured | struct-literal | DuckDB {'k': v} struct literals
Columns | sql/select | star-expression | DuckDB COLUMNS(...) star expressions
Unnest | functions/flatten | unnest | DuckDB UNNEST
Placeholder | sql/select | - | bind parameters
ColumnDef | sql/create-table | - | column definitions
Schema | sql/create-table | - | table column lists
Properties | sql/create-table | - | table properties
TableSample | constructs/sample | table-sample | sampling
JSONObject | functions/object_construct | - | DuckDB json_object (through the json_object macro)
JSONKeyValue | functions/object_construct | - | key/value pair of json_object
Slice | functions/array_slice | array-index | the bounds of a list slice
PropertyEQ | functions/object_construct | struct-literal | a named field (k := v) of a struct
Whens | sql/merge | merge-duplicates | the WHEN branches of a MERGE
When | sql/merge | merge-duplicates | one WHEN branch of a MERGE
Update | sql/merge | - | the UPDATE action of a MERGE branch
Insert | sql/merge | - | the INSERT action of a MERGE branch
"""

TYPES = """
INT | data-types-numeric | - | NUMBER(38, 0) on Snowflake: same integer values (wider range)
BIGINT | data-types-numeric | - | NUMBER(38, 0) on Snowflake: same integer values
SMALLINT | data-types-numeric | - | NUMBER(38, 0) on Snowflake: same integer values
TINYINT | data-types-numeric | - | NUMBER(38, 0) on Snowflake: same integer values
DOUBLE | data-types-numeric | - | 8-byte IEEE double on both
DECIMAL | data-types-numeric | - | NUMBER(p, s) on both (sqlglot writes DuckDB's default DECIMAL(18, 3) out)
FLOAT | data-types-numeric | float4 | DuckDB FLOAT is 4 bytes
VARCHAR | data-types-text | - | text on both
TEXT | data-types-text | - | text on both
CHAR | data-types-text | - | fixed-length text (Snowflake pads nothing either)
BOOLEAN | data-types-logical | - | same values
DATE | data-types-datetime | - | same values
TIME | data-types-datetime | - | same values
TIMESTAMP | data-types-datetime | - | naive TIMESTAMP = TIMESTAMP_NTZ
TIMESTAMPNTZ | data-types-datetime | - | naive TIMESTAMP = TIMESTAMP_NTZ
TIMESTAMPTZ | data-types-datetime | timestamptz | session time zone
TIMESTAMPLTZ | data-types-datetime | timestamptz | session time zone
VARBINARY | data-types-text | - | BINARY on Snowflake
BLOB | data-types-text | - | BINARY on Snowflake
NVARCHAR | data-types-text | - | a VARCHAR synonym on Snowflake
"""

HAZARD_TYPES = """
INT128 | data-types-numeric | HUGEINT holds 39 digits, Snowflake NUMBER at most 38 — use DECIMAL(38, 0)
ARRAY | data-types-semistructured | typed DuckDB lists become Snowflake ARRAYs of VARIANT (structured ARRAY(T) only on Iceberg tables)
LIST | data-types-semistructured | typed DuckDB lists become Snowflake ARRAYs of VARIANT
STRUCT | data-types-semistructured | DuckDB STRUCTs become OBJECTs of VARIANT values
OBJECT | data-types-semistructured | DuckDB STRUCTs become OBJECTs of VARIANT values
MAP | data-types-semistructured | DuckDB MAPs become OBJECTs with string keys only
JSON | data-types-semistructured | DuckDB JSON is text, Snowflake VARIANT
UUID | data-types-text | Snowflake has no UUID type: sqlglot emits UUID, which Snowflake rejects — use VARCHAR
TIMESTAMP_S | data-types-datetime | DuckDB second-precision timestamps: Snowflake TIMESTAMP(0) semantics differ in rounding
TIMESTAMP_MS | data-types-datetime | DuckDB millisecond timestamps: sqlglot emits a type Snowflake lacks
TIMESTAMP_NS | data-types-datetime | DuckDB nanosecond timestamps: sqlglot emits a type Snowflake lacks
VARIANT | data-types-semistructured | DuckDB's VARIANT and Snowflake's differ in the types they keep and in comparisons
GEOMETRY | data-types-geospatial | DuckDB's spatial GEOMETRY and Snowflake's GEOMETRY differ in functions and SRID handling
"""

UNSUPPORTED_TYPES = """
UBIGINT | data-types-numeric | Snowflake has no unsigned integers
UINT | data-types-numeric | Snowflake has no unsigned integers
USMALLINT | data-types-numeric | Snowflake has no unsigned integers
UTINYINT | data-types-numeric | Snowflake has no unsigned integers
UINT128 | data-types-numeric | Snowflake has no unsigned integers
INTERVAL | data-types-datetime | Snowflake has no INTERVAL column type (interval constants only)
ENUM | data-types-text | Snowflake has no ENUM type
BIT | data-types-text | Snowflake has no BIT strings
TIMETZ | data-types-datetime | Snowflake has no TIME WITH TIME ZONE
UNION | data-types-semistructured | Snowflake has no UNION type
BIGNUM | data-types-numeric | Snowflake NUMBER holds 38 digits at most
USERDEFINED | data-types | a DuckDB type sqlglot passes through by name (uint8, guid, varint ...); Snowflake has no such type
TIME_NS | data-types-datetime | DuckDB nanosecond TIME: sqlglot emits a type Snowflake lacks
NULL | data-types | Snowflake has no NULL column type
"""

STATEMENTS = """
Select | sql/select | - | a query
Union | operators-query | - | a set operation
Intersect | operators-query | - | a set operation
Except | operators-query | - | a set operation
Insert | sql/insert | - | INSERT ... SELECT/VALUES on both
Create | sql/create-table | - | CREATE TABLE/VIEW ... AS SELECT on both
Delete | sql/delete | - | DELETE ... WHERE on both
Update | sql/update | - | UPDATE ... SET ... WHERE on both
Drop | sql/drop-table | - | DROP TABLE/VIEW on both
Merge | sql/merge | merge-duplicates | MERGE
"""

UNSUPPORTED_STATEMENTS = """
Pragma | sql/alter-session | DuckDB PRAGMA has no Snowflake counterpart (ALTER SESSION / SHOW)
Set | sql/alter-session | DuckDB SET changes a DuckDB setting; Snowflake uses ALTER SESSION SET
Pivot | constructs/pivot | DuckDB's simplified PIVOT statement has no Snowflake form (PIVOT is a FROM clause there)
Copy | sql/copy-into-table | DuckDB COPY reads/writes local files; Snowflake COPY INTO needs a stage
Command | sql-all | sqlglot could not parse this statement, so nothing about it is verified
"""


def _rows(table: str, columns: int) -> list[list[str]]:
    rows = []
    for line in table.strip().splitlines():
        cells = [cell.strip() for cell in line.split(" | ")]
        if len(cells) != columns:
            raise ValueError(f"registry line needs {columns} columns: {line}")
        rows.append(cells)
    return rows


def _guards(cell: str) -> tuple[str, ...]:
    return () if cell == "-" else tuple(g.strip() for g in cell.split(","))


def _doc(cell: str) -> str:
    """A function's doc column: a bare name is a page under functions/."""
    return cell if "/" in cell or cell == "constructs" else f"functions/{cell}"


def _functions(table: str, status: Status) -> list[Construct]:
    found = []
    for names, example, snowflake, doc, guards, why in _rows(table, 6):
        first, *aliases = names.split(", ")
        for name in (first, *aliases):
            # an alias can parse to another sqlglot node (dayofmonth vs day): key each name by its own call
            call = re.sub(r"^[a-z_0-9]+(?=\()", name, example)
            key = node_key(example_node(call))
            found.append(Construct(key, name, status, _doc(doc), why, call, snowflake, _guards(guards)))
    return found


def _nodes(table: str, prefix: str, status: Status) -> list[Construct]:
    found = []
    for name, doc, guards, why in _rows(table, 4):
        key = _class_key(name) if prefix == "node" else f"{prefix}:{name}"
        found.append(Construct(key, name, status, doc, why, guards=_guards(guards)))
    return found


def _class_key(name: str) -> str:
    """The key of a sqlglot expression class (an operator, clause or built-in function node)."""
    node_class = getattr(exp, name)
    return node_key(node_class.__new__(node_class))


def _plain(table: str, prefix: str, status: Status) -> list[Construct]:
    return [Construct(f"{prefix}:{name}", name, status, doc, why) for name, doc, why in _rows(table, 3)]


def entries() -> list[Construct]:
    """Every registered construct."""
    return [
        *_functions(PORTABLE_FUNCTIONS, "portable"),
        *_functions(HAZARD_FUNCTIONS, "hazard"),
        *_functions(UNSUPPORTED_FUNCTIONS, "unsupported"),
        *_nodes(OPERATORS, "node", "portable"),
        *_nodes(UNSUPPORTED_OPERATORS, "node", "unsupported"),
        *_nodes(CLAUSES, "node", "portable"),
        *_nodes(TYPES, "type", "portable"),
        *_plain(HAZARD_TYPES, "type", "hazard"),
        *_plain(UNSUPPORTED_TYPES, "type", "unsupported"),
        *_nodes(STATEMENTS, "statement", "portable"),
        *_plain(UNSUPPORTED_STATEMENTS, "statement", "unsupported"),
    ]
