{#
    Whole datepart boundaries crossed from start_expression to end_expression (end - start), as an
    integer: DuckDB date_diff and Snowflake datediff both count boundaries. Both arguments must have the
    same type (two timestamps or two dates).
#}
{% macro timestamp_diff(datepart, start_expression, end_expression) -%}
    {{ return(adapter.dispatch('timestamp_diff', 'logistics')(datepart, start_expression, end_expression)) }}
{%- endmacro %}

{% macro default__timestamp_diff(datepart, start_expression, end_expression) -%}
    /* portable:timestamp_diff */ date_diff('{{ datepart }}', {{ start_expression }}, {{ end_expression }}) /* /portable */
{%- endmacro %}

{% macro snowflake__timestamp_diff(datepart, start_expression, end_expression) -%}
    /* portable:timestamp_diff */ datediff({{ datepart }}, {{ start_expression }}, {{ end_expression }}) /* /portable */
{%- endmacro %}
