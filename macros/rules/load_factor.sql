{# Share of a capacity a load uses (weight_kg / capacity_kg, or m³ / m³); null without a capacity. #}
{% macro load_factor(load, capacity) -%}
    {{ safe_divide(load, capacity) }}
{%- endmacro %}
