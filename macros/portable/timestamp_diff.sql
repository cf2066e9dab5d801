{#
    Whole datepart boundaries crossed from start_expression to end_expression (end - start), as an
    integer: DuckDB date_diff and Snowflake datediff both count boundaries. Both arguments must have the
    same type (two timestamps or two dates).
#}
{% macro timestamp_diff(datepart, start_expression, end_expression) -%}
    {%- if datepart | lower in ['week', 'weeks', 'w', 'isoweek', 'yearweek', 'weekofyear'] -%}
        {#- DuckDB counts whole 7-day periods, Snowflake counts week boundaries (and its week start
            depends on the WEEK_START session parameter): not the same number, so not offered. -#}
        {%- do exceptions.raise_compiler_error(
            "timestamp_diff('" ~ datepart ~ "', ...) means different things on DuckDB and Snowflake: "
            ~ "use timestamp_diff('day', ...) and divide by 7") -%}
    {%- endif -%}
    {{ return(adapter.dispatch('timestamp_diff', 'logistics')(datepart, start_expression, end_expression)) }}
{%- endmacro %}

{% macro default__timestamp_diff(datepart, start_expression, end_expression) -%}
    /* portable:timestamp_diff date_diff and DATEDIFF count the same unit boundaries (weeks are refused above) */ date_diff('{{ datepart }}', {{ start_expression }}, {{ end_expression }}) /* /portable */
{%- endmacro %}

{% macro snowflake__timestamp_diff(datepart, start_expression, end_expression) -%}
    /* portable:timestamp_diff date_diff and DATEDIFF count the same unit boundaries (weeks are refused above) */ datediff({{ datepart }}, {{ start_expression }}, {{ end_expression }}) /* /portable */
{%- endmacro %}
