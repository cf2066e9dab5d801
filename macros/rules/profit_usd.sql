{# Profit of a shipment: revenue less operating cost (a missing revenue counts as 0). #}
{% macro profit_usd(revenue_usd, total_cost_usd) -%}
    cast(coalesce({{ revenue_usd }}, 0) - {{ total_cost_usd }} as decimal(14, 2))
{%- endmacro %}
