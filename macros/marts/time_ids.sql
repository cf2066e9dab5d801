{#
    A DATE as the integer yyyymmdd (20250131), and a TIMESTAMP's hour as the integer yyyymmddhh
    (2025013117): engine-independent inputs for surrogate_key() (the text of dates and timestamps
    depends on the engine and its session settings).
#}
{% macro date_id(date_expression) -%}
    cast(
        extract(year from {{ date_expression }}) * 10000
        + extract(month from {{ date_expression }}) * 100
        + extract(day from {{ date_expression }})
        as integer
    )
{%- endmacro %}

{% macro hour_id(timestamp_expression) -%}
    cast(
        extract(year from {{ timestamp_expression }}) * 1000000
        + extract(month from {{ timestamp_expression }}) * 10000
        + extract(day from {{ timestamp_expression }}) * 100
        + extract(hour from {{ timestamp_expression }})
        as bigint
    )
{%- endmacro %}

{% macro seconds_since_1970(timestamp_expression) -%}
    {{ timestamp_diff('second', "cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")", timestamp_expression) }}
{%- endmacro %}
