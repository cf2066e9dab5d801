{#
    Band membership for seeds with [min, max) bands (haul_type_bands, customer_tier_bands): the
    lower bound is inclusive, the upper bound exclusive, so every value falls in exactly one band
    (49.99 km is LOCAL, 50 km is SHORT_HAUL; 74,999.99 USD is SILVER, 75,000 USD is GOLD).
#}
{% macro is_in_band(value, min_value, max_value) -%}
    ({{ value }} >= {{ min_value }} and {{ value }} < {{ max_value }})
{%- endmacro %}
