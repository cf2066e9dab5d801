{# Operating cost per km of the route driven; null when the distance is 0 or unknown. #}
{% macro cost_per_km_usd(total_cost_usd, distance_km) -%}
    {{ safe_divide(total_cost_usd, distance_km) }}
{%- endmacro %}
