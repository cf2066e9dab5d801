{# Minutes from start_at to end_at as a double (seconds / 60); null when either is null. #}
{% macro minutes_between(start_at, end_at) -%}
    {{ safe_divide(timestamp_diff('second', start_at, end_at), 60) }}
{%- endmacro %}
