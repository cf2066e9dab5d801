{#
    The local calendar date, in the IANA time zone `time_zone` (an expression), of a UTC TIMESTAMP:
    the date a weekday, weekend, holiday or season is judged on. DuckDB converts with its icu
    extension (linked in the wheel), Snowflake with convert_timezone; both apply the zone's
    daylight-saving rules.
#}
{% macro local_date(utc_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('local_date', 'logistics')(utc_timestamp, time_zone)) }}
{%- endmacro %}

{% macro default__local_date(utc_timestamp, time_zone) -%}
    /* portable:local_date UTC instant to the zone's wall-clock date with the zone's DST rules on both engines */ cast(timezone({{ time_zone }}, timezone('UTC', {{ utc_timestamp }})) as date) /* /portable */
{%- endmacro %}

{% macro snowflake__local_date(utc_timestamp, time_zone) -%}
    /* portable:local_date UTC instant to the zone's wall-clock date with the zone's DST rules on both engines */ cast(convert_timezone('UTC', {{ time_zone }}, {{ utc_timestamp }}) as date) /* /portable */
{%- endmacro %}
