{#
    A sum of a DOUBLE expression that does not depend on the order the rows are added in: each term
    is rounded to 6 decimals as decimal(18, 6) and the decimals are summed exactly. Float addition is
    not associative and both engines aggregate in parallel, so sum(double) can differ in its last
    bits between two builds of the same data; incremental-equals-full-refresh needs exact equality.
    The result is a decimal; callers cast it (or divide it with safe_divide for a mean).
#}
{% macro exact_sum(expression) -%}
    sum(cast({{ expression }} as decimal(18, 6)))
{%- endmacro %}
