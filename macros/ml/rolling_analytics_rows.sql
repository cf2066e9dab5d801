{#
    The SELECT of tbl_ml_rolling_analytics (see the model), as a first build or, with
    incremental=true, as an incremental run resuming from {{ this }} that reads only the deliveries
    that can change a window after the last built day (macro window_facts_changing_after): the model
    renders it once and its post-hook (append_remaining_window_slices) once per further time slice.
#}
{% macro rolling_analytics_rows(incremental) -%}
{%- set windows = [
    {'name': '7d', 'offset_days': 0, 'length_days': 7},
    {'name': '30d', 'offset_days': 0, 'length_days': 30},
    {'name': '90d', 'offset_days': 0, 'length_days': 90},
    {'name': 'prev_30d', 'offset_days': 30, 'length_days': 30},
] -%}
{%- set measures = ['deliveries', 'on_time_deliveries', 'revenue_usd', 'delay_min', 'distance_km', 'total_cost_usd', 'weight_kg', 'capacity_kg'] -%}
{%- set state_columns = [] -%}
{%- for window in windows -%}{%- for measure in measures -%}{%- do state_columns.append(measure ~ '_' ~ window.name) -%}{%- endfor -%}{%- endfor -%}
with milestones as (
    select * from {{ ref('tbl_ml_shipment_milestones') }}
),

delivered as (
    select
        milestones.*,
        cast(milestones.delivered_at as date) as event_date,
        cast(milestones.delivered_known_at as date) as known_date,
        cast(milestones.deleted_known_at as date) as until_date,
        1 as deliveries,
        case when milestones.is_on_time then 1 else 0 end as on_time_deliveries,
        milestones.delivered_revenue_usd as revenue_usd,
        round(milestones.delay_min, 3) as delay_min_value,
        round(milestones.distance_km, 3) as distance_km_value,
        milestones.delivered_total_cost_usd as total_cost_usd,
        round(milestones.weight_kg, 3) as weight_kg_value,
        round(milestones.vehicle_capacity_kg, 3) as capacity_kg_value
    from milestones
    where milestones.delivered_known_at is not null
    {%- if incremental %}
      and {{ window_facts_changing_after(
            windows,
            'cast(milestones.delivered_at as date)',
            'cast(milestones.delivered_known_at as date)',
            'cast(milestones.deleted_known_at as date)',
            window_last_built_date()
        ) }}
    {%- endif %}
),

contributions as (
    {%- for entity in ['customer', 'vehicle', 'route'] %}
    select
        '{{ entity }}' as entity_type,
        delivered.{{ entity }}_id as entity_id,
        delivered.event_date,
        delivered.known_date,
        delivered.until_date,
        delivered.deliveries,
        delivered.on_time_deliveries,
        delivered.revenue_usd,
        delivered.delay_min_value as delay_min,
        delivered.distance_km_value as distance_km,
        delivered.total_cost_usd,
        delivered.weight_kg_value as weight_kg,
        delivered.capacity_kg_value as capacity_kg
    from delivered
    where delivered.{{ entity }}_id is not null
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

{{ window_bounds_ctes(incremental=incremental, sliced_facts='contributions') }},

slice_contributions as (
    {#- The facts that change a sum on or before the slice's last day: a fact enters its first window
        on the later of its event and known dates (offset 0) and leaves after it enters, so a fact
        with either date after the slice brings no change this slice keeps. Without this bound every
        slice computed the changes of all later facts too (8 rows per fact and entity, 32 columns),
        and the slices multiply with the data (SF 1: 2, SF 10: 14), so the model grew faster than
        the rows. #}
    select contributions.*
    from contributions
    cross join window_bounds
    where (contributions.event_date <= window_bounds.last_date or contributions.event_date is null)
      and contributions.known_date <= window_bounds.last_date
),

deltas as (
    {{ rolling_window_deltas('slice_contributions', windows, measures) }}
),

{{ window_state_ctes(
    'deltas', state_columns, incremental=incremental, sliced_facts='contributions', bounds_emitted=true
) }},

year_ago_candidates as (
    {%- if incremental %}
    select
        built.entity_type,
        built.entity_id,
        built.feature_date,
        built.deliveries_30d,
        built.revenue_usd_30d
    from {{ this }} as built
    where built.feature_date between (
        select cast({{ dbt.dateadd('year', -1, 'min(window_state.feature_date)') }} as date) from window_state
    ) and (
        select cast({{ dbt.dateadd('year', -1, 'max(window_state.feature_date)') }} as date) from window_state
    )
    union all
    {%- endif %}
    select
        window_state.entity_type,
        window_state.entity_id,
        window_state.feature_date,
        window_state.deliveries_30d,
        window_state.revenue_usd_30d
    from window_state
),

final as (
    select
        cast(window_state.entity_type as varchar) as entity_type,
        cast(window_state.entity_id as bigint) as entity_id,
        cast(window_state.feature_date as date) as feature_date,
        {%- for window in windows %}
        cast(window_state.deliveries_{{ window.name }} as bigint) as deliveries_{{ window.name }},
        cast(window_state.on_time_deliveries_{{ window.name }} as bigint) as on_time_deliveries_{{ window.name }},
        cast(window_state.revenue_usd_{{ window.name }} as decimal(20, 2)) as revenue_usd_{{ window.name }},
        cast(window_state.delay_min_{{ window.name }} as decimal(20, 3)) as delay_min_{{ window.name }},
        cast(window_state.distance_km_{{ window.name }} as decimal(20, 3)) as distance_km_{{ window.name }},
        cast(window_state.total_cost_usd_{{ window.name }} as decimal(20, 2)) as total_cost_usd_{{ window.name }},
        cast(window_state.weight_kg_{{ window.name }} as decimal(20, 3)) as weight_kg_{{ window.name }},
        cast(window_state.capacity_kg_{{ window.name }} as decimal(20, 3)) as capacity_kg_{{ window.name }},
        {%- if window.name != 'prev_30d' %}
        {{ safe_divide('window_state.on_time_deliveries_' ~ window.name, 'window_state.deliveries_' ~ window.name) }} as on_time_rate_{{ window.name }},
        {{ safe_divide('window_state.delay_min_' ~ window.name, 'window_state.deliveries_' ~ window.name) }} as avg_delay_min_{{ window.name }},
        {{ cost_per_km_usd('window_state.total_cost_usd_' ~ window.name, 'window_state.distance_km_' ~ window.name) }} as cost_per_km_usd_{{ window.name }},
        {{ safe_divide('window_state.weight_kg_' ~ window.name, 'window_state.capacity_kg_' ~ window.name) }} as weight_load_factor_{{ window.name }},
        {%- endif %}
        {%- endfor %}
        cast(window_state.deliveries_30d - window_state.deliveries_prev_30d as bigint) as deliveries_trend_30d,
        {{ safe_divide('window_state.revenue_usd_30d - window_state.revenue_usd_prev_30d', 'window_state.revenue_usd_prev_30d') }} as revenue_trend_30d_ratio,
        {{ safe_divide('window_state.on_time_deliveries_30d', 'window_state.deliveries_30d') }}
            - {{ safe_divide('window_state.on_time_deliveries_prev_30d', 'window_state.deliveries_prev_30d') }} as on_time_rate_trend_30d,
        {{ safe_divide('window_state.deliveries_30d', 'year_ago.deliveries_30d') }} as deliveries_30d_yoy_ratio,
        {{ safe_divide('window_state.revenue_usd_30d', 'year_ago.revenue_usd_30d') }} as revenue_usd_30d_yoy_ratio
    from window_state
    left join year_ago_candidates as year_ago
        on window_state.entity_type = year_ago.entity_type
       and window_state.entity_id = year_ago.entity_id
       and year_ago.feature_date = cast({{ dbt.dateadd('year', -1, 'window_state.feature_date') }} as date)
)

select * from final
{%- endmacro %}
