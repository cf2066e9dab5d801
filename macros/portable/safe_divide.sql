{#
    numerator / denominator as a double, null when the denominator is 0 or null. Both operands are cast
    to double first: integer and decimal division keep different scales on DuckDB and Snowflake, and
    this one expression means the same on both (Snowflake's div0null would return 0, not null), so it
    needs no dispatch.
#}
{% macro safe_divide(numerator, denominator) -%}
    /* portable:safe_divide both operands cast to double; division by zero gives null on both engines */ (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0)) /* /portable */
{%- endmacro %}
