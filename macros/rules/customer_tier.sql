{#
    Customer tier from delivered revenue over the 365 days up to the as-of instant:
    PLATINUM from 200,000 USD, GOLD from 75,000, SILVER from 25,000, else BRONZE
    (each threshold inclusive: exactly 75,000.00 is GOLD).
#}
{% macro customer_tier(revenue_12m_usd) -%}
    case
        when {{ revenue_12m_usd }} >= 200000 then 'PLATINUM'
        when {{ revenue_12m_usd }} >= 75000 then 'GOLD'
        when {{ revenue_12m_usd }} >= 25000 then 'SILVER'
        else 'BRONZE'
    end
{%- endmacro %}
