{# Operating cost of a shipment: fuel (or energy) + driver + tolls; a missing component counts as 0. #}
{% macro total_cost_usd(fuel_cost_usd, driver_cost_usd, toll_cost_usd) -%}
    cast(
        coalesce({{ fuel_cost_usd }}, 0) + coalesce({{ driver_cost_usd }}, 0) + coalesce({{ toll_cost_usd }}, 0)
        as decimal(14, 2)
    )
{%- endmacro %}
