"""The Snowflake names the checks accept as function calls and data types.

``FUNCTIONS`` lists Snowflake functions (docs.snowflake.com/en/sql-reference/functions-all) that this
project uses or is likely to use. A name called in compiled SQL that is not listed fails the check:
look it up in Snowflake's function reference and add it here only if it exists there. Existence is
all this list guards; meaning is the hazard lint's job. DuckDB-only functions (``regexp_matches``,
``list_value``, ``strftime``, ``epoch``, ``range``, ``date_diff`` ...) must never be added.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """Whitespace-separated words of ``text``, ignoring ``#`` comment lines."""
    lines = (line for line in text.splitlines() if not line.strip().startswith("#"))
    return frozenset(word.lower() for line in lines for word in line.split())


FUNCTIONS: frozenset[str] = _words(
    """
    # aggregate
    any_value approx_count_distinct approx_percentile array_agg array_unique_agg avg bitand_agg
    bitor_agg booland_agg boolor_agg corr count count_if covar_pop covar_samp hash_agg kurtosis
    listagg max max_by median min min_by mode object_agg percentile_cont percentile_disc regr_slope
    regr_intercept regr_r2 skew stddev stddev_pop stddev_samp sum var_pop var_samp variance
    variance_pop variance_samp
    # window
    conditional_change_event conditional_true_event cume_dist dense_rank first_value lag last_value
    lead nth_value ntile percent_rank rank ratio_to_report row_number
    # conditional
    booland boolnot boolor boolxor coalesce decode equal_null greatest greatest_ignore_nulls iff
    ifnull least least_ignore_nulls nullif nullifzero nvl nvl2 zeroifnull
    # string and binary
    ascii base64_decode_string base64_encode bit_length charindex chr char collate concat concat_ws
    contains editdistance endswith hex_decode_string hex_encode ilike initcap insert
    jarowinkler_similarity left len length lower lpad ltrim md5 md5_hex md5_binary md5_number_lower64
    md5_number_upper64 octet_length parse_url position regexp_count regexp_instr regexp_like
    regexp_replace regexp_substr regexp_substr_all repeat replace reverse right rlike rpad rtrim sha1
    sha1_hex sha2 sha2_hex soundex space split split_part split_to_table startswith strtok
    strtok_to_array substr substring translate trim try_base64_decode_string unicode upper
    uuid_string
    # numeric
    abs acos acosh asin asinh atan atan2 atanh bitand bitnot bitor bitshiftleft bitshiftright bitxor
    cbrt ceil ceiling cos cosh cot degrees div0 div0null
    exp factorial floor haversine ln log mod pi pow power radians random round sign sin sinh sqrt
    square tan tanh trunc truncate uniform normal width_bucket
    # date and time
    add_months convert_timezone current_date current_time current_timestamp date_from_parts
    date_part date_trunc dateadd datediff day dayname dayofmonth dayofweek dayofweekiso dayofyear
    extract hour last_day localtime localtimestamp minute month monthname months_between next_day
    previous_day quarter second sysdate systimestamp time_from_parts time_slice timeadd timediff
    timestamp_from_parts timestamp_ltz_from_parts timestamp_ntz_from_parts timestamp_tz_from_parts
    timestampadd timestampdiff week weekiso weekofyear year yearofweek yearofweekiso
    # conversion
    cast to_array to_binary to_boolean to_char to_date to_decimal to_double to_json to_number
    to_numeric to_object to_time to_timestamp to_timestamp_ltz to_timestamp_ntz to_timestamp_tz
    to_varchar to_variant try_cast try_parse_json try_to_binary try_to_boolean try_to_date
    try_to_decimal try_to_double try_to_number try_to_numeric try_to_time try_to_timestamp
    try_to_timestamp_ltz try_to_timestamp_ntz try_to_timestamp_tz
    # semi-structured
    array_append array_cat array_compact array_construct array_construct_compact array_contains
    array_distinct array_except array_flatten array_insert array_intersection array_max array_min
    array_position array_prepend array_remove array_size array_slice array_sort array_to_string
    arrays_overlap as_array as_char as_double as_integer as_object as_varchar check_json flatten
    get get_ignore_case get_path is_array is_boolean is_decimal is_double is_integer
    is_null_value is_object is_varchar json_extract_path_text object_construct
    object_construct_keep_null object_delete object_insert object_keys object_pick parse_json
    strip_null_value typeof
    # context and system
    current_account current_available_roles current_client current_database current_region
    current_role current_schema current_schemas current_secondary_roles current_session
    current_statement current_transaction current_user current_version current_warehouse
    invoker_role invoker_share is_database_role_in_session is_role_in_session last_query_id
    system$clustering_information system$stream_has_data
    # table functions and generators
    generator result_scan seq1 seq2 seq4 seq8 table
    # geospatial
    st_distance st_makepoint st_point st_x st_y to_geography try_to_geography
    # hashing and identifiers
    hash identifier
    """
)

# Data type names (as sqlglot's Snowflake generator writes them) that Snowflake accepts.
TYPES: frozenset[str] = _words(
    """
    number decimal numeric int integer bigint smallint tinyint byteint float float4 float8 double
    real varchar char character string text binary varbinary boolean date datetime time timestamp
    timestamp_ltz timestamp_ntz timestamp_tz timestampltz timestampntz timestamptz variant object
    array geography geometry vector
    """
)

# Words followed by "(" in valid Snowflake SQL that are not function calls: clauses, operators and
# type names with a length/precision. The function check skips them.
NOT_CALLS: frozenset[str] = _words(
    """
    all and any as at before between by case changes check cluster constraint distinct else end exclude
    exists foreign from group primary rename unique
    having ilike in insert into is join key lateral like limit match_recognize not on or over
    partition pivot qualify references returns rlike sample select set some tablesample then union
    unpivot using values when where window with within
    """
) | TYPES
