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

    The mark is a literal when it can be read before the model runs (high_water_mark_literals):
    a constant is pruned by the scan's min/max statistics (DuckDB's zone maps, Snowflake's
    micro-partitions), so a sync reads the row groups loaded since the mark instead of the whole
    history; a scalar subquery is not pruned that way. Otherwise (parsing, a relation that does
    not exist yet, an engine without the macro) it is the scalar subquery, which means the same.
#}
{% macro after_high_water_mark(expression, mark_column='synced_at', relation=none, mark_filter=none) -%}
    {%- set marked = relation if relation is not none else this -%}
    {%- set literals = high_water_mark_literals(marked, mark_column, mark_filter) -%}
    {%- if literals is not none -%}
    ({{ expression }} > {{ literals.since }}
        and {{ expression }} <> {{ literals.mark }})
    {%- else -%}
    ({{ expression }} > {{ high_water_mark(mark_column, relation, mark_filter) }}
        and {{ expression }} <> {{ high_water_mark(mark_column, relation, mark_filter, lookback=false) }})
    {%- endif -%}
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

{#
    The mark of `relation` read now, as two SQL literals: `mark` (the latest `mark_column`) and
    `since` (the mark less the lookback); 1900-01-01 for an empty relation. none when it cannot be
    read before the model's SQL runs: while parsing (dbt: execute is false; SQLMesh's load:
    flags.WHICH is 'parse'), in a unit test ({{ this }} is then the name of its fixture's CTE), when
    the relation does not exist, or on an engine without an implementation. Read when the model is compiled, i.e. before its pre-hooks: a hook that deletes
    rows of {{ this }} can only lower the mark a subquery would read after it, so the literal is the
    mark of the previous run, which saw every row up to it.
#}
{% macro high_water_mark_literals(relation, mark_column, mark_filter=none) -%}
    {%- if not execute or flags.WHICH == 'parse' -%}{{ return(none) }}{%- endif -%}
    {%- if relation is string or load_relation(relation) is none -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.dispatch('high_water_mark_literals')(relation, mark_column, mark_filter)) }}
{%- endmacro %}

{# DuckDB: one query returns both bounds as text (exact to the microsecond) for TIMESTAMP marks. #}
{% macro duckdb__high_water_mark_literals(relation, mark_column, mark_filter) -%}
    {%- set read_mark -%}
        select
            typeof(max(high_water.{{ mark_column }})),
            cast(coalesce(max(high_water.{{ mark_column }}), timestamp '1900-01-01') as varchar),
            cast(coalesce(max(high_water.{{ mark_column }}), timestamp '1900-01-01')
                - to_minutes({{ var('raw_lookback_minutes') }}) as varchar)
        from {{ relation }} as high_water
        {%- if mark_filter %}
        where {{ mark_filter }}
        {%- endif %}
    {%- endset -%}
    {%- set row = run_query(read_mark).rows[0] -%}
    {%- if row[0] not in ('TIMESTAMP', 'NULL') -%}{{ return(none) }}{%- endif -%}
    {{ return({'mark': "timestamp '" ~ row[1] ~ "'", 'since': "timestamp '" ~ row[2] ~ "'"}) }}
{%- endmacro %}

{# Other engines keep the scalar subquery until a literal form is written and checked for them. #}
{% macro default__high_water_mark_literals(relation, mark_column, mark_filter) -%}
    {{ return(none) }}
{%- endmacro %}
