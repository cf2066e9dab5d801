{#
    Building a dense per-entity-per-day table (macro window_state_ctes) in time slices, so its first
    build holds at most window_rows_per_slice() entity-days at once instead of every entity times
    every day (SF 10: 95,067 entities × 731 days ≈ 69 M wide rows, which spilled past 55 GB of temp
    disk). A run computes the days from the one after the last built day (the first build: the first
    changed day) up to the slice's last day, and the model's post-hook appends the remaining slices,
    each resuming from the stored rows exactly as an incremental run does, so a sliced build equals
    a one-slice build row for row (tested) and dbt's tests of the model see the whole table.
#}

{# The most entity-days one slice may hold, or none for no slicing (one statement, all days). #}
{% macro window_rows_per_slice() -%}
    {{ return(adapter.dispatch('window_rows_per_slice')()) }}
{%- endmacro %}

{# DuckDB on a laptop: var('window_rows_per_slice'), default 5 M entity-days (SF 1: 2 slices, SF 10: ≈ 14). #}
{% macro duckdb__window_rows_per_slice() -%}
    {{ return(var('window_rows_per_slice', 5000000)) }}
{%- endmacro %}

{# Snowflake scales the warehouse instead: one statement. #}
{% macro default__window_rows_per_slice() -%}
    {{ return(var('window_rows_per_slice', none)) }}
{%- endmacro %}

{#
    The post-hook of a sliced model: while the model's last feature_date is before
    feature_last_date(), append one more slice with `rows_sql` (the model's SELECT rendered as an
    incremental run, i.e. reading {{ this }}). Nothing to do when slicing is off, while parsing, or
    once the table is complete; fails loudly if a slice does not advance.
#}
{% macro append_remaining_window_slices(rows_sql) -%}
    {%- if not execute or flags.WHICH == 'parse' or window_rows_per_slice() is none -%}{{ return('') }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | join(', ') -%}
    {%- set progress -%}
        select cast(max(built.feature_date) as varchar), max(built.feature_date) < {{ feature_last_date() }}
        from {{ this }} as built
    {%- endset -%}
    {%- set slices = namespace(last_built=none, done=false) -%}
    {%- for slice in range(100000) if not slices.done -%}
        {%- set row = run_query(progress).rows[0] -%}
        {%- if not row[1] -%}
            {%- set slices.done = true -%}
        {%- elif row[0] == slices.last_built -%}
            {{ exceptions.raise_compiler_error(this ~ ': a slice did not advance past ' ~ row[0]) }}
        {%- else -%}
            {%- set slices.last_built = row[0] -%}
            {%- do run_query('insert into ' ~ this ~ ' (' ~ columns ~ ') select ' ~ columns ~ ' from (' ~ rows_sql ~ ') as slice_rows') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
