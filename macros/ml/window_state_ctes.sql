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
#}
{% macro window_state_ctes(deltas, state_columns, stored_entity_type='built.entity_type', stored_entity_id='built.entity_id') -%}
window_bounds as (
    select
        {{ feature_last_date() }} as last_date,
        {%- if is_incremental() %}
        (select max(built.feature_date) from {{ this }} as built) as last_built_date
        {%- else %}
        cast(null as date) as last_built_date
        {%- endif %}
),

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
    {%- if is_incremental() %}
    select
        {{ stored_entity_type }} as entity_type,
        {{ stored_entity_id }} as entity_id,
        {{ add_days(1, 'window_bounds.last_built_date') }} as first_date,
        {%- for column in state_columns %}
        cast(built.{{ column }} as decimal(20, 3)) as {{ column }}{{ ',' if not loop.last }}
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
        cast(0 as decimal(20, 3)) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from window_daily_deltas
    {%- if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as built
        where {{ stored_entity_type }} = window_daily_deltas.entity_type
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

window_entity_days as (
    select
        window_entities.*,
        cast(window_calendar.date_day as date) as feature_date
    from window_entities
    inner join window_calendar
        on window_calendar.date_day >= window_entities.first_date
),

window_state as (
    select
        window_entity_days.entity_type,
        window_entity_days.entity_id,
        window_entity_days.feature_date,
        {%- for column in state_columns %}
        window_entity_days.{{ column }} + sum(coalesce(window_daily_deltas.{{ column }}, 0)) over (
            partition by window_entity_days.entity_type, window_entity_days.entity_id
            order by window_entity_days.feature_date
            rows between unbounded preceding and current row
        ) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from window_entity_days
    left join window_daily_deltas
        on window_entity_days.entity_type = window_daily_deltas.entity_type
       and window_entity_days.entity_id = window_daily_deltas.entity_id
       and window_entity_days.feature_date = window_daily_deltas.delta_date
)
{%- endmacro %}
