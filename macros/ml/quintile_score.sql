{#
    1..5: the quintile of `value_expression` among the rows of the same `partition_expression`
    (ceil(5 × cume_dist)), computed with integers only (5 × rows at or below the value against
    k × rows, k = 1..4), so ties share a score and both engines agree to the last bit.
    descending=true scores small values highest (recency).
#}
{% macro quintile_score(value_expression, partition_expression, descending=false) -%}
    {%- set at_or_below -%}
        count(*) over (
            partition by {{ partition_expression }}
            order by {{ value_expression }} {{ 'desc' if descending else 'asc' }}
            range between unbounded preceding and current row
        )
    {%- endset -%}
    {%- set rows_in_partition = 'count(*) over (partition by ' ~ partition_expression ~ ')' -%}
    cast(1
        {%- for k in range(1, 5) %}
        + case when 5 * {{ at_or_below }} > {{ k }} * {{ rows_in_partition }} then 1 else 0 end
        {%- endfor %}
    as integer)
{%- endmacro %}
