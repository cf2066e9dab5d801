{#
    The UTC instant (a TIMESTAMP) at which the calendar day `local_day` (a DATE expression) starts in
    the IANA time zone `time_zone` (an expression): the bound between two local days, to split time
    between them (local_date's inverse at midnight). DuckDB reads the midnight as wall-clock time in
    the zone with its icu extension, Snowflake with convert_timezone; both apply the zone's
    daylight-saving rules (a local day can last 23 or 25 hours).
#}
{% macro utc_at_local_midnight(local_day, time_zone) -%}
    {{ return(adapter.dispatch('utc_at_local_midnight', 'logistics')(local_day, time_zone)) }}
{%- endmacro %}

{% macro default__utc_at_local_midnight(local_day, time_zone) -%}
    /* portable:utc_at_local_midnight the zone's wall-clock midnight to the UTC instant with the zone's DST rules on both engines */ timezone('UTC', timezone({{ time_zone }}, cast({{ local_day }} as timestamp))) /* /portable */
{%- endmacro %}

{% macro snowflake__utc_at_local_midnight(local_day, time_zone) -%}
    /* portable:utc_at_local_midnight the zone's wall-clock midnight to the UTC instant with the zone's DST rules on both engines */ convert_timezone({{ time_zone }}, 'UTC', cast({{ local_day }} as timestamp_ntz)) /* /portable */
{%- endmacro %}
