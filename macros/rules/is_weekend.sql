{# A weekend day is Saturday or Sunday: ISO weekday 6 or 7 (1 = Monday). #}
{% macro is_weekend(iso_weekday) -%}
    ({{ iso_weekday }} in (6, 7))
{%- endmacro %}
