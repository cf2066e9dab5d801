{#
    CTEs that turn the window changes of rolling_window_deltas (CTE `deltas`) into one row per
    (entity_type, entity_id, feature_date) with the running value of every column of
    `state_columns`, over a dense calendar from the entity's first change to feature_last_date().
    The last CTE is `window_state`. A table keyed by one entity type names its stored key with
    stored_entity_type (e.g. "'vehicle'") and stored_entity_id (e.g. 'built.vehicle_id').

    Incremental runs resume from the table itself: an entity already in {{ this }} starts the day
    after the last built date from its stored values (the window sums are the state), a new entity
    from zero on its first change; only changes dated after the last built date are added. Every
    fact becomes known after the clock of the build that first could see it, so no change is ever
    dated on or before a day already built, and the rows equal a full rebuild (checked by the
    reliability drill). The stored columns must hold the sums exactly (integers, decimals).

    A model built in time slices passes `sliced_facts`, the facts of rolling_window_deltas (entity_type,
    entity_id, known_date): a run then stops at the last day of its slice when window_rows_per_slice()
    is set (macro window_slices), about that many entity-days counting every entity the facts have by
    feature_last_date(), and append_remaining_window_slices, the model's post-hook, adds the rest.
    The facts, not `deltas`, are counted: a second reading of `deltas` would make DuckDB materialize
    it (≈ 8 rows per fact). A resumed run counts the stored entities of the last built day as well,
    as its facts may be only those that change a window after it (macro window_facts_changing_after). `incremental` (default is_incremental()) renders the SELECT of an
    incremental run, for that hook.
#}
{% macro window_state_ctes(deltas, state_columns, stored_entity_type='built.entity_type', stored_entity_id='built.entity_id', incremental=none, sliced_facts=none, bounds_emitted=false) -%}
{%- set resumes = is_incremental() if incremental is none else incremental -%}
{%- if not bounds_emitted %}
{{ window_bounds_ctes(incremental=incremental, sliced_facts=sliced_facts) }},

{% endif -%}
window_daily_deltas as (
    select
        {{ deltas }}.entity_type,
        {{ deltas }}.entity_id,
        {{ deltas }}.delta_date,
        {%- for column in state_columns %}
        sum({{ deltas }}.{{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ deltas }}
    cross join window_bounds
    where {{ deltas }}.delta_date <= window_bounds.last_date
      and ({{ deltas }}.delta_date > window_bounds.last_built_date or window_bounds.last_built_date is null)
    group by
        {{ deltas }}.entity_type,
        {{ deltas }}.entity_id,
        {{ deltas }}.delta_date
),

window_entities as (
    {%- if resumes %}
    select
        {{ stored_entity_type }} as entity_type,
        {{ stored_entity_id }} as entity_id,
        {{ add_days(1, 'window_bounds.last_built_date') }} as first_date,
        {%- for column in state_columns %}
        cast(built.{{ column }} as decimal(18, 3)) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as built
    cross join window_bounds
    where built.feature_date = window_bounds.last_built_date
    union all
    {%- endif %}
    select
        window_daily_deltas.entity_type,
        window_daily_deltas.entity_id,
        min(window_daily_deltas.delta_date) as first_date,
        {%- for column in state_columns %}
        cast(0 as decimal(18, 3)) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from window_daily_deltas
    {%- if resumes %}
    where not exists (
        select 1
        from {{ this }} as built
        where built.feature_date = (select window_bounds.last_built_date from window_bounds)
          and {{ stored_entity_type }} = window_daily_deltas.entity_type
          and {{ stored_entity_id }} = window_daily_deltas.entity_id
    )
    {%- endif %}
    group by
        window_daily_deltas.entity_type,
        window_daily_deltas.entity_id
),

window_calendar_bounds as (
    select
        min(window_entities.first_date) as first_date,
        max(window_bounds.last_date) as last_date
    from window_entities
    cross join window_bounds
),

window_calendar as (
    {{ date_spine_days('window_calendar_bounds', 'window_calendar_bounds.first_date', 'window_calendar_bounds.last_date') }}
),

window_change_days as (
    {#- The days an entity's sums change: its daily changes, and its first day when nothing changes
        then (a resumed entity on a quiet day). Running sums over these sparse days, not over every
        calendar day: a quarter to a half of the rows, the window being the model's dominant cost. #}
    select
        window_daily_deltas.entity_type,
        window_daily_deltas.entity_id,
        window_daily_deltas.delta_date as change_date,
        {%- for column in state_columns %}
        window_daily_deltas.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from window_daily_deltas
    union all
    select
        window_entities.entity_type,
        window_entities.entity_id,
        window_entities.first_date as change_date,
        {%- for column in state_columns %}
        cast(0 as decimal(18, 3)) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from window_entities
    where not exists (
        select 1
        from window_daily_deltas as first_day_deltas
        where first_day_deltas.entity_type = window_entities.entity_type
          and first_day_deltas.entity_id = window_entities.entity_id
          and first_day_deltas.delta_date = window_entities.first_date
    )
),

window_change_state as (
    select
        window_change_days.entity_type,
        window_change_days.entity_id,
        window_change_days.change_date,
        {%- for column in state_columns %}
        cast(window_entities.{{ column }} + sum(window_change_days.{{ column }}) over (
            partition by window_change_days.entity_type, window_change_days.entity_id
            order by window_change_days.change_date
            rows between unbounded preceding and current row
        ) as decimal(18, 3)) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from window_change_days
    inner join window_entities
        on window_change_days.entity_type = window_entities.entity_type
       and window_change_days.entity_id = window_entities.entity_id
),

window_entity_days as (
    {#- Every calendar day of an entity, with the last day its sums changed on or before it (its
        first day is a change day). An equi-join then carries the sums: cheaper than a range join
        of the sums to the calendar, which sorts every sum column. #}
    select
        window_entities.entity_type,
        window_entities.entity_id,
        cast(window_calendar.date_day as date) as feature_date,
        max(window_change_state.change_date) over (
            partition by window_entities.entity_type, window_entities.entity_id
            order by window_calendar.date_day
            rows between unbounded preceding and current row
        ) as state_date
    from window_entities
    inner join window_calendar
        on window_calendar.date_day >= window_entities.first_date
    left join window_change_state
        on window_entities.entity_type = window_change_state.entity_type
       and window_entities.entity_id = window_change_state.entity_id
       and window_calendar.date_day = window_change_state.change_date
),

window_state as (
    select
        window_entity_days.entity_type,
        window_entity_days.entity_id,
        window_entity_days.feature_date,
        {%- for column in state_columns %}
        window_change_state.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from window_entity_days
    inner join window_change_state
        on window_entity_days.entity_type = window_change_state.entity_type
       and window_entity_days.entity_id = window_change_state.entity_id
       and window_entity_days.state_date = window_change_state.change_date
)
{%- endmacro %}

{#
    The first two CTEs of window_state_ctes: window_limits (feature_last_date, and the last built
    date when resuming) and window_bounds (the last day this run computes, and the last built date):
    feature_last_date(), or the end of the time slice when `sliced_facts` is given and
    window_rows_per_slice() is set. A model that bounds its facts by the slice before computing
    their window changes (tbl_ml_rolling_analytics) emits them itself, ahead of its `deltas`, and
    passes bounds_emitted=true to window_state_ctes.
#}
{% macro window_bounds_ctes(incremental=none, sliced_facts=none) -%}
{%- set resumes = is_incremental() if incremental is none else incremental -%}
{%- set rows_per_slice = window_rows_per_slice() if sliced_facts is not none else none -%}
window_limits as (
    select
        {{ feature_last_date() }} as feature_last_date,
        {%- if resumes %}
        {{ window_last_built_date() }} as last_built_date
        {%- else %}
        cast(null as date) as last_built_date
        {%- endif %}
),

window_bounds as (
    {%- if rows_per_slice is none %}
    select
        window_limits.feature_last_date as last_date,
        window_limits.last_built_date
    from window_limits
    {%- else %}
    select
        least(
            window_limits.feature_last_date,
            {{ add_days('slice_size.slice_days - 1', 'coalesce(' ~ add_days(1, 'window_limits.last_built_date') ~ ', slice_size.first_known_date)') }}
        ) as last_date,
        window_limits.last_built_date
    from window_limits
    cross join (
        select
            cast(greatest(1, floor(cast({{ rows_per_slice }} as double) / greatest(
                1,
                count(*)
                {%- if resumes %},
                (select count(*) from {{ this }} as built where built.feature_date = (select window_limits.last_built_date from window_limits))
                {%- endif %}
            ))) as integer) as slice_days,
            min(slice_entities.first_known_date) as first_known_date
        from (
            select
                {{ sliced_facts }}.entity_type,
                {{ sliced_facts }}.entity_id,
                min({{ sliced_facts }}.known_date) as first_known_date
            from {{ sliced_facts }}
            cross join window_limits as slice_limits
            where {{ sliced_facts }}.known_date <= slice_limits.feature_last_date
            group by
                {{ sliced_facts }}.entity_type,
                {{ sliced_facts }}.entity_id
        ) as slice_entities
    ) as slice_size
    {%- endif %}
)
{%- endmacro %}
