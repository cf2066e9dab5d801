{# date_expression + days, as a DATE (dbt.dateadd returns a timestamp on some engines). #}
{% macro add_days(days, date_expression) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}
