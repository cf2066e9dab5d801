{#
    An amount of money a shipment carries in the facts: the source's figure, or 0 for a cancelled
    order. The operational system keeps the quoted price and the planned fuel, driver and toll
    costs on a cancelled order, but no trip ran and nothing was invoiced or spent.
#}
{% macro recognised_usd(amount_usd, shipment_status) -%}
    case when {{ shipment_status }} = 'CANCELLED' then 0 else {{ amount_usd }} end
{%- endmacro %}
