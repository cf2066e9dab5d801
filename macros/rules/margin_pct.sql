{# Profit margin in percent of revenue (100 * profit / revenue); null when revenue is 0 or null. #}
{% macro margin_pct(profit_usd, revenue_usd) -%}
    (100 * {{ safe_divide(profit_usd, revenue_usd) }})
{%- endmacro %}
