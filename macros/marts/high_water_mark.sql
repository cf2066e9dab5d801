{#
    Change detection of an incremental model: is `expression` (a Fivetran load time: staging's
    synced_at, landing's _fivetran_synced) past the high-water mark, the latest value the model
    already holds in `mark_column` of `relation` (default {{ this }}; `mark_filter` restricts it)?

    The batch is every row loaded after the mark, plus a lookback of var('raw_lookback_minutes')
    below it for commit-order skew between Fivetran's writers (a row committed late with an earlier
    load time) — but never the rows loaded AT the mark. Fivetran stamps a written batch with one
    load time and a sync lands atomically, so the run that set the mark saw every row carrying it;
    re-reading them is pure cost. It was the whole cost of the first sync after an initial load
    (which stamps all history with one _fivetran_synced: the lookback re-read the entire history,
    twice a full build at SF 1) and half of every later sync (the previous sync re-read).
    Compares load times, never event dates: a late status change arrives with a new load time.
    Both scalar subqueries read one column of {{ this }}; 1900-01-01 stands in for an empty model.
#}
{% macro after_high_water_mark(expression, mark_column='synced_at', relation=none, mark_filter=none) -%}
    ({{ expression }} > {{ high_water_mark(mark_column, relation, mark_filter) }}
        and {{ expression }} <> {{ high_water_mark(mark_column, relation, mark_filter, lookback=false) }})
{%- endmacro %}

{# The mark as a scalar subquery: the latest `mark_column` of `relation` (default {{ this }}),
   less the lookback unless lookback=false; 1900-01-01 when empty. Compare with after_high_water_mark,
   which also leaves out the rows at the mark. #}
{% macro high_water_mark(mark_column='synced_at', relation=none, mark_filter=none, lookback=true) -%}
    {%- set marked = relation if relation is not none else this -%}
    {%- set latest -%}
        (
            select coalesce(max(high_water.{{ mark_column }}), cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}))
            from {{ marked }} as high_water
            {%- if mark_filter %}
            where {{ mark_filter }}
            {%- endif %}
        )
    {%- endset -%}
    {{ dbt.dateadd('minute', -1 * var('raw_lookback_minutes'), latest) if lookback else latest }}
{%- endmacro %}
